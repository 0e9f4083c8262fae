//! Serve, live reload: the state the browser follows and the script that
//! follows it.
//!
//! Every served HTML page gets a small script (only when served, never in
//! `quire build` output) that listens to `/__quire/live` (server-sent
//! events): `reload` reloads the page, `css` swaps the stylesheets in place,
//! `problem` shows the build error over the page (as text, never as HTML)
//! and `fixed` removes it. `warning` shows the site's warnings in a bar at
//! the top of the page, in its flow (so it covers nothing, on a phone
//! too), one line until opened; a page is sent them when it connects, so
//! they show again after every reload until they are gone or closed (a
//! closed bar stays closed in that tab until the warnings change).

/// The events path, outside any site path prefix.
pub const EVENTS_PATH: &str = "/__quire/live";

/// What the browser should do now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Signal {
    /// Nothing happened yet.
    #[default]
    Idle,
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The last rebuild failed: show this text.
    Problem(String),
    /// The problem is gone and nothing else changed.
    Fixed,
    /// The site builds, with these warnings (sent when a page connects).
    Warning(String),
}

/// The latest signal and a counter that tells a new one from an old one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    pub generation: u64,
    pub signal: Signal,
    /// The site's warnings as text; empty when there are none.
    pub warnings: String,
}

impl Status {
    /// What a page that connects now is told at once: the site's warnings,
    /// and the current problem.
    pub fn on_connect(&self) -> Vec<Status> {
        let warning = (!self.warnings.is_empty()).then(|| Signal::Warning(self.warnings.clone()));
        let problem = matches!(self.signal, Signal::Problem(_)).then(|| self.signal.clone());
        [warning, problem].into_iter().flatten().map(|signal| Status { signal, ..self.clone() }).collect()
    }
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
            Signal::Warning(text) => Some(("warning", text.clone())),
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
  // Warnings: a bar at the top of the page, in its flow, so it covers
  // nothing on any screen; one line until opened. Closed, it stays closed
  // (for this tab) until the warnings change.
  const closedKey = "quire-warnings-closed";
  const closed = (text) => { try { return sessionStorage.getItem(closedKey) === text; } catch { return false; } };
  events.addEventListener("warning", (e) => {
    let box = document.getElementById("quire-warning");
    if (closed(e.data)) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("aside");
      box.id = "quire-warning";
      box.setAttribute("role", "status");
      box.style.cssText = "display:block;position:static;margin:0;padding:.35rem .75rem;background:#2b2205;" +
        "color:#fff3c4;border-bottom:3px solid #f5a524;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace";
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "\u00d7";
      close.setAttribute("aria-label", "Close");
      close.style.cssText = "float:right;margin-left:1rem;padding:0 .25rem;background:none;border:0;color:inherit;" +
        "font:inherit;font-size:16px;line-height:1;cursor:pointer";
      close.addEventListener("click", () => {
        try { sessionStorage.setItem(closedKey, box.dataset.quireText); } catch {}
        box.remove();
      });
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.style.cssText = "cursor:pointer";
      const text = document.createElement("pre");
      text.style.cssText = "margin:.35rem 0 0;padding:0;border:0;background:none;color:inherit;font:inherit;" +
        "white-space:pre-wrap;max-height:40vh;overflow:auto";
      details.append(summary, text);
      box.append(close, details);
      document.body.prepend(box);
    }
    const count = (e.data.match(/^warning:/gm) || []).length || 1;
    box.dataset.quireText = e.data;
    box.querySelector("summary").textContent = `quire serve: ${count} warning${count === 1 ? "" : "s"}`;
    box.querySelector("pre").textContent = e.data;
  });
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
    fn a_page_that_connects_is_told_the_warnings_and_the_problem() {
        let status = |signal, warnings: &str| Status { generation: 3, signal, warnings: warnings.into() };
        let names = |s: Status| {
            s.on_connect().iter().filter_map(|s| s.signal.event()).map(|e| e.0).collect::<Vec<_>>()
        };
        assert_eq!(names(status(Signal::Reload, "")), Vec::<&str>::new());
        assert_eq!(names(status(Signal::Reload, "warning: x")), ["warning"]);
        assert_eq!(names(status(Signal::Problem("p".into()), "warning: x")), ["warning", "problem"]);
    }

    #[test]
    fn problems_are_shown_as_text() {
        assert!(SCRIPT.contains("textContent = e.data"));
        assert!(!SCRIPT.contains("innerHTML"));
        assert!(SCRIPT.contains("querySelector(\"pre\").textContent = e.data"));
        assert!(SCRIPT.contains("document.body.prepend(box)") && !SCRIPT.contains("position:fixed;right"));
    }
}
