//! Enrich, talking to the API: one OpenAI-compatible Chat Completions
//! request per paper (`POST <base_url>/chat/completions`), made the way a
//! real service needs.
//!
//! - 429 is tried again after its `Retry-After` (seconds or a date);
//!   5xx, an answer that is not the API's JSON, a time-out and a
//!   connection that fails are tried again after 1, 2, 4... seconds; each
//!   paper within `retries` more tries and a deadline of `timeout` per try.
//! - 401 and 403 stop the run at once, naming the environment variable
//!   the key is read from (never the key, nor what the API said, which may
//!   quote part of it); another 4xx (a wrong model or address) stops it too.
//!
//! Requests are blocking ([`ureq`]); `quire enrich` runs several on threads.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::prompt::SYSTEM;
use crate::error::printable_line;

/// The largest answer read, in bytes.
const ANSWER_LIMIT: u64 = 8 << 20;
/// The longest wait between two tries.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// What the client needs to know.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `https://api.deepseek.com/v1`, without a final `/`.
    pub base_url: String,
    pub model: String,
    pub key: Option<String>,
    /// The environment variable the key is read from, to name it.
    pub key_env: String,
    pub timeout: Duration,
    pub retries: u32,
    pub concurrency: usize,
}

/// One answer and the tokens it took.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub content: String,
    pub usage: Usage,
}

/// Tokens, as the API's `usage` counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt: u64,
    pub completion: u64,
}

impl Usage {
    pub fn add(&mut self, other: Usage) {
        self.prompt += other.prompt;
        self.completion += other.completion;
    }

    pub fn total(&self) -> u64 {
        self.prompt + self.completion
    }
}

/// Why a paper got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 401 or 403: the run stops.
    Key(String),
    /// Another 4xx: the request itself is wrong (model, address); the run stops.
    Refused(String),
    /// No answer within the tries and the deadline.
    GaveUp(String),
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Key(m) | Failure::Refused(m) | Failure::GaveUp(m) => m,
        }
    }
}

/// What one try came to.
enum Attempt {
    Answered(Reply),
    Again { after: Option<Duration>, why: String },
    Stop(Failure),
}

/// The API, shared by the threads that ask it.
pub struct Client {
    agent: ureq::Agent,
    url: String,
    endpoint: Endpoint,
}

impl Client {
    pub fn new(endpoint: Endpoint) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(concat!("quire/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections_per_host(endpoint.concurrency)
            .build()
            .into();
        Client { agent, url: format!("{}/chat/completions", endpoint.base_url), endpoint }
    }

    /// Asks `prompt`, trying again as the module's doc says.
    pub fn ask(&self, prompt: &str) -> Result<Reply, Failure> {
        let body = json!({
            "model": self.endpoint.model,
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": prompt},
            ],
            "response_format": {"type": "json_object"},
            "stream": false,
        })
        .to_string();
        let per_try = self.endpoint.timeout;
        let deadline = Instant::now() + per_try * (self.endpoint.retries + 1);
        let mut tries = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (wait, why) = match self.once(&body, per_try.min(left).max(Duration::from_millis(100))) {
                Attempt::Answered(reply) => return Ok(reply),
                Attempt::Stop(failure) => return Err(failure),
                Attempt::Again { after, why } => (after.unwrap_or(backoff(tries)), why),
            };
            tries += 1;
            let left = deadline.saturating_duration_since(Instant::now());
            if tries > self.endpoint.retries || wait >= left || wait > LONGEST_WAIT {
                let tries = if tries == 1 { "1 try".to_owned() } else { format!("{tries} tries") };
                return Err(Failure::GaveUp(format!("{why} ({tries})")));
            }
            std::thread::sleep(wait);
        }
    }

    fn once(&self, body: &str, timeout: Duration) -> Attempt {
        let mut request = self
            .agent
            .post(&self.url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("Accept", "application/json")
            .content_type("application/json");
        if let Some(key) = &self.endpoint.key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let mut response = match request.send(body) {
            Ok(response) => response,
            Err(ureq::Error::Timeout(_)) => return self.no_answer(),
            Err(e) => return Attempt::Again { after: None, why: format!("{}: {e}", self.url) },
        };
        let status = response.status().as_u16();
        let retry_after =
            response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(retry_after);
        let text = response.body_mut().with_config().limit(ANSWER_LIMIT).read_to_string();
        let text = match text {
            Ok(text) => text,
            Err(ureq::Error::Timeout(_)) => return self.no_answer(),
            Err(e) => return Attempt::Again { after: None, why: format!("reading the answer: {e}") },
        };
        match status {
            200..=299 => match reply(&text) {
                Some(reply) => Attempt::Answered(reply),
                None => {
                    Attempt::Again { after: None, why: "the API's answer is not a chat completion".into() }
                }
            },
            401 | 403 => Attempt::Stop(Failure::Key(self.key_problem(status))),
            429 => Attempt::Again { after: retry_after, why: "429 Too Many Requests".into() },
            408 | 500..=599 => {
                Attempt::Again { after: retry_after, why: format!("the API answered {status}") }
            }
            _ => Attempt::Stop(Failure::Refused(format!(
                "{} answered {status}: {} (check [llm] base_url and model)",
                self.url,
                api_message(&text)
            ))),
        }
    }

    fn no_answer(&self) -> Attempt {
        let why = format!("no answer within {} s ([llm] timeout)", self.endpoint.timeout.as_secs());
        Attempt::Again { after: None, why }
    }

    fn key_problem(&self, status: u16) -> String {
        let env = &self.endpoint.key_env;
        match &self.endpoint.key {
            Some(_) => format!(
                "{} refused the key in the environment variable {env} ({status}): set {env} to a key this API accepts",
                self.url
            ),
            None => format!("{} asks for a key ({status}): set the environment variable {env} to your API key", self.url),
        }
    }
}

/// 1, 2, 4... seconds after the `tries`-th failed try.
fn backoff(tries: u32) -> Duration {
    Duration::from_secs(1 << tries.min(6))
}

/// `Retry-After`: whole seconds, or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let seconds = (when.timestamp_millis() - chrono::Utc::now().timestamp_millis()).max(0);
    Some(Duration::from_millis(seconds as u64))
}

/// The model's text and the tokens of a chat completion.
fn reply(text: &str) -> Option<Reply> {
    let value: Value = serde_json::from_str(text).ok()?;
    let content = value.pointer("/choices/0/message/content")?.as_str()?.to_owned();
    let count = |name: &str| value.pointer(&format!("/usage/{name}")).and_then(Value::as_u64).unwrap_or(0);
    Some(Reply {
        content,
        usage: Usage { prompt: count("prompt_tokens"), completion: count("completion_tokens") },
    })
}

/// What an API said about a refused request (`error.message`), on one
/// short line.
fn api_message(text: &str) -> String {
    let value: Option<Value> = serde_json::from_str(text).ok();
    let message = value
        .as_ref()
        .and_then(|v| v.pointer("/error/message").or_else(|| v.get("error")).or_else(|| v.get("message")))
        .and_then(Value::as_str)
        .unwrap_or(text);
    let short: String = message.chars().take(200).collect();
    printable_line(short.trim()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(retry_after("-1"), None);
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO), "in the past");
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        assert!(retry_after(&soon).unwrap() > Duration::from_secs(25));
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn waits_double() {
        let waits: Vec<u64> = (0..8).map(|t| backoff(t).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 64]);
    }

    #[test]
    fn a_chat_completion_gives_its_text_and_tokens() {
        let text = r#"{"choices":[{"message":{"role":"assistant","content":"{\"summary\":\"x\"}"}}],
            "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150}}"#;
        let reply = reply(text).unwrap();
        assert_eq!(reply.content, "{\"summary\":\"x\"}");
        assert_eq!((reply.usage, reply.usage.total()), (Usage { prompt: 120, completion: 30 }, 150));
        assert!(super::reply("{\"choices\": []}").is_none());
        assert!(super::reply("<html>").is_none());
    }

    #[test]
    fn an_apis_refusal_is_one_printable_line() {
        assert_eq!(
            api_message(r#"{"error":{"message":"Model \u001b[31mx not found"}}"#),
            "Model \\u{1b}[31mx not found"
        );
        assert_eq!(api_message(r#"{"error":"no such model"}"#), "no such model");
        assert_eq!(api_message("Not Found\n"), "Not Found");
    }
}
