"""Word lists both corpus shapes draw their made-up text from
(`gen_corpus.py` and `realistic.py`). Changing one changes every corpus:
keep them as they are, so figures stay comparable from run to run."""

ADJ = """sparse dense robust scalable adaptive efficient latent causal neural
implicit generative contrastive hierarchical multimodal federated bayesian
equivariant low-rank quantized zero-shot few-shot long-context self-supervised
retrieval-augmented differentiable stochastic convex decentralized modular
unified lightweight interpretable physics-informed open-vocabulary""".split()
NOUN = """model network transformer encoder decoder representation embedding
attention diffusion policy agent reward benchmark dataset framework method
algorithm objective gradient inference training alignment reasoning planning
segmentation detection tracking reconstruction generation translation retrieval
ranking graph kernel tokens prompts adapters experts distillation pruning
calibration uncertainty robustness generalization scene video speech language
point-cloud trajectory simulator estimator bound convergence sampling""".split()
VERB = """improves reduces enables outperforms learns captures predicts aligns
combines regularizes accelerates stabilizes transfers scales exploits recovers
preserves mitigates quantifies""".split()
GLUE = "the a of for in on with by from to under across via and while".split()
OPENERS = ["We propose", "We introduce", "This paper studies", "We revisit",
           "Recent work shows that", "Despite progress,", "To close this gap,",
           "Our analysis reveals that", "Experiments show that", "Moreover,",
           "In addition,", "Empirically,", "We prove that", "Finally,"]
SYLLABLES = "ra lo mi ve ta ki zu tri quo xel dra mon vek sil tor gan lum cor nix fen".split()
ZH = """模型 方法 框架 网络 表示 学习 训练 推理 数据集 任务 性能 实验 结果 基准
特征 注意力 扩散 生成 检索 对齐 语言 图像 视频 语音 场景 三维 重建 分割 检测 规划
策略 奖励 智能体 优化 梯度 损失 泛化 鲁棒性 效率 不确定性 蒸馏 量化 微调 预训练
提示 偏好 评估 理论 复杂度 收敛 采样 编码器 解码器 多模态 因果 隐式 零样本 长上下文""".split()
ZH_GLUE = """本文 我们 提出 一种 新的 基于 通过 利用 结合 显著 提高 降低 实现 超越
现有 在 和 与 对 的 中 并 同时 此外 然而 因此 首先 最后 进一步 有效 能够 针对 解决
问题 挑战 表明 证明 发现 设计 构建 引入""".split()
TAGS = """llm diffusion nerf benchmark rlhf agents multimodal vision-language
gaussian-splatting self-supervised efficient-inference quantization distillation
moe long-context rag safety alignment jailbreak privacy federated gnn
state-space-models video-generation text-to-image speech robotics manipulation
autonomous-driving medical-imaging segmentation detection point-cloud slam
reinforcement-learning world-models reasoning chain-of-thought code-generation
theorem-proving evaluation dataset survey fairness interpretability uncertainty
continual-learning domain-adaptation optimization theory scaling-laws
multilingual translation recommendation time-series forecasting climate
protein neuroscience hardware""".split()
