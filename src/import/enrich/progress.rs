//! Enrich, the progress bar `quire enrich` draws on a terminal (and only
//! there): papers finished of all, the rate, and the time left, redrawn at
//! most ten times a second on standard error, and cleared at the end. A
//! few lines by hand rather than a crate: nothing more is drawn.

use std::io::Write;
use std::time::{Duration, Instant};

use super::Tally;

const WIDTH: usize = 24;

/// The bar, or nothing when standard error is not a terminal.
pub struct Progress {
    on: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    /// A bar that draws when `on` (standard error is a terminal).
    pub fn new(on: bool) -> Progress {
        Progress { on, started: Instant::now(), drawn: None }
    }

    /// Draws the bar for `tally` (not more often than every 100 ms).
    pub fn update(&mut self, tally: &Tally) {
        let finished = tally.done + tally.skipped.len() + tally.failed;
        if !self.on || self.drawn.is_some_and(|d| d.elapsed() < Duration::from_millis(100)) {
            return;
        }
        self.drawn = Some(Instant::now());
        let line = bar(finished, tally.total, self.started.elapsed());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    }

    /// Clears the bar's line.
    pub fn finish(&mut self) {
        if self.on && self.drawn.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    }
}

/// `[=========>          ] 120/300  12.3/s  15 s left`.
fn bar(finished: usize, total: usize, elapsed: Duration) -> String {
    let filled = (finished * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
    let head = if filled < WIDTH { ">" } else { "" };
    let bar = format!("{}{head}", "=".repeat(filled));
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 { finished as f64 / seconds } else { 0.0 };
    let left = match rate > 0.0 {
        true => format!("{} s left", ((total - finished.min(total)) as f64 / rate).ceil()),
        false => "time left unknown".into(),
    };
    format!("[{bar:<WIDTH$}] {finished}/{total}  {rate:.1}/s  {left}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_shows_papers_rate_and_time_left() {
        assert_eq!(
            bar(0, 300, Duration::ZERO),
            format!("[>{}] 0/300  0.0/s  time left unknown", " ".repeat(23))
        );
        assert_eq!(
            bar(120, 300, Duration::from_secs(10)),
            format!("[{}>{}] 120/300  12.0/s  15 s left", "=".repeat(9), " ".repeat(14))
        );
        assert_eq!(
            bar(300, 300, Duration::from_secs(25)),
            format!("[{}] 300/300  12.0/s  0 s left", "=".repeat(24))
        );
        assert_eq!(bar(0, 0, Duration::ZERO), format!("[{}] 0/0  0.0/s  time left unknown", "=".repeat(24)));
    }
}
