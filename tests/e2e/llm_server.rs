//! A local OpenAI-compatible Chat Completions server for the enrich tests:
//! it answers `POST /v1/chat/completions` as a real one does (a JSON
//! object in `choices[0].message.content`, the tokens in `usage`), in
//! Chinese, with the fields the prompt asks for, or as it is told: 429
//! with `Retry-After`, 500, nothing at all, malformed JSON, English,
//! slowly, 401, or a given text. No test calls a real API.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// How the server answers one request.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The fields asked for, in Chinese.
    Good,
    /// The fields asked for, in English.
    English,
    /// A completion whose text is not JSON.
    Malformed,
    /// 429 with `Retry-After: <seconds>`.
    TooMany(u64),
    /// 500.
    Error,
    /// 401, with a body that quotes the key as some APIs do.
    Unauthorized,
    /// Nothing, ever.
    Hang,
    /// A good answer after this long.
    Slow(Duration),
    /// This text as the model's answer.
    Text(String),
}

/// What the server was asked, and what it will answer next.
#[derive(Default)]
struct Script {
    /// Answers for the next requests, in order; then `default`.
    queue: VecDeque<Answer>,
    default: Option<Answer>,
    /// Every request's prompt (the user message) and `Authorization` header.
    requests: Vec<(String, Option<String>)>,
}

/// A running fake API; it stops with the test process.
#[derive(Clone)]
pub struct LlmServer {
    addr: SocketAddr,
    script: Arc<Mutex<Script>>,
}

impl LlmServer {
    /// Starts a server on a free port of 127.0.0.1, answering `default`
    /// once `queue` is used up.
    pub fn start(default: Answer, queue: &[Answer]) -> LlmServer {
        let script = Arc::new(Mutex::new(Script {
            queue: queue.iter().cloned().collect(),
            default: Some(default),
            requests: Vec::new(),
        }));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = script.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new()
                    .route("/v1/chat/completions", axum::routing::post(answer))
                    .with_state(state);
                axum::serve(listener, app).await.unwrap();
            });
        });
        LlmServer { addr, script }
    }

    /// The address to give as `[llm] base_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The prompts received so far.
    pub fn prompts(&self) -> Vec<String> {
        self.script.lock().unwrap().requests.iter().map(|(p, _)| p.clone()).collect()
    }

    /// The `Authorization` headers received so far.
    pub fn authorizations(&self) -> Vec<Option<String>> {
        self.script.lock().unwrap().requests.iter().map(|(_, a)| a.clone()).collect()
    }

    /// Answers the next requests so, then `default` again.
    pub fn then(&self, queue: &[Answer]) {
        self.script.lock().unwrap().queue.extend(queue.iter().cloned());
    }
}

async fn answer(State(script): State<Arc<Mutex<Script>>>, headers: HeaderMap, body: String) -> Response {
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let prompt = request.pointer("/messages/1/content").and_then(Value::as_str).unwrap_or("").to_owned();
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let next = {
        let mut script = script.lock().unwrap();
        script.requests.push((prompt.clone(), auth));
        script.queue.pop_front().or_else(|| script.default.clone()).unwrap()
    };
    match next {
        Answer::Good => completion(&fields(&prompt, true)),
        Answer::English => completion(&fields(&prompt, false)),
        Answer::Malformed => completion("{\"summary\": \"没有结尾"),
        Answer::Text(text) => completion(&text),
        Answer::TooMany(seconds) => {
            (StatusCode::TOO_MANY_REQUESTS, [("retry-after", seconds.to_string())], "slow down")
                .into_response()
        }
        Answer::Error => (StatusCode::INTERNAL_SERVER_ERROR, "overloaded").into_response(),
        Answer::Unauthorized => {
            let key = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
            let body = json!({"error": {"message": format!("Incorrect API key provided: {key}")}});
            (StatusCode::UNAUTHORIZED, body.to_string()).into_response()
        }
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            completion("{}")
        }
        Answer::Slow(wait) => {
            tokio::time::sleep(wait).await;
            completion(&fields(&prompt, true))
        }
    }
}

/// A chat completion with `content` as the model's text.
fn completion(content: &str) -> Response {
    let body = json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "fake-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    });
    ([("content-type", "application/json")], body.to_string()).into_response()
}

/// The JSON object of the fields the prompt asks for (`- "summary": ...`
/// lines), made from its paper's id and title.
fn fields(prompt: &str, chinese: bool) -> String {
    let line =
        |prefix: &str| prompt.lines().find_map(|l| l.strip_prefix(prefix)).unwrap_or("").trim().to_owned();
    let id = line("Paper ").split(' ').next().unwrap_or("").to_owned();
    let title = line("Title: ");
    let mut answer = serde_json::Map::new();
    for field in ["translated_title", "summary", "body", "tags"] {
        if !prompt.contains(&format!("- \"{field}\"")) {
            continue;
        }
        let value = match (field, chinese) {
            ("translated_title", true) => json!(format!("译：{title}")),
            ("summary", true) => json!(format!("{id} 的一句话总结。")),
            ("body", true) => json!(format!("{id} 的摘要译文。\n\n第二段。")),
            ("tags", _) => json!(["神经场", "nerf"]),
            (_, false) => json!(format!("An English {field} of {id}.")),
            _ => unreachable!(),
        };
        answer.insert(field.into(), value);
    }
    Value::Object(answer).to_string()
}
