//! Serve, live reload: the state the browser follows and the script that
//! follows it.
//!
//! Every served HTML page gets a small script (only when served, never in
//! `quire build` output) that listens to `/__quire/live` (server-sent
//! events): `reload` reloads the page, `css` swaps the stylesheets in place,
//! `problem` shows the build error over the page (as text, never as HTML)
//! and `fixed` removes it.

/// The events path, outside any site path prefix.
pub const EVENTS_PATH: &str = "/__quire/live";

/// What the browser should do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Nothing happened yet.
    Idle,
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The last rebuild failed: show this text.
    Problem(String),
    /// The problem is gone and nothing else changed.
    Fixed,
}

/// The latest signal and a counter that tells a new one from an old one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub generation: u64,
    pub signal: Signal,
}

impl Signal {
    /// The SSE event name and its data.
    pub fn event(&self) -> Option<(&'static str, String)> {
        match self {
            Signal::Idle => None,
            Signal::Reload => Some(("reload", String::new())),
            Signal::Css => Some(("css", String::new())),
            Signal::Problem(text) => Some(("problem", text.clone())),
            Signal::Fixed => Some(("fixed", String::new())),
        }
    }
}

const SCRIPT: &str = r#"<script>
(() => {
  const events = new EventSource("/__quire/live");
  let overlay = null;
  const clear = () => { if (overlay) { overlay.remove(); overlay = null; } };
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("quire", Date.now());
      link.href = url.href;
    }
    clear();
  });
  events.addEventListener("fixed", clear);
  events.addEventListener("problem", (e) => {
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.id = "quire-problem";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;" +
        "z-index:2147483647;padding:1rem;background:#2b0b0b;color:#ffe3e3;border-top:4px solid #e5484d;" +
        "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = e.data;
  });
})();
</script>
"#;

/// Adds the live-reload script to an HTML page, before `</body>`.
pub fn inject(html: &str) -> String {
    match html.rfind("</body>") {
        Some(i) => format!("{}{SCRIPT}{}", &html[..i], &html[i..]),
        None => format!("{html}{SCRIPT}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_body() {
        let page = inject("<html><body><p>x</p></body></html>");
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
        assert!(inject("fragment").starts_with("fragment<script>"));
    }

    #[test]
    fn problems_are_shown_as_text() {
        assert!(SCRIPT.contains("textContent = e.data"));
        assert!(!SCRIPT.contains("innerHTML"));
    }
}
