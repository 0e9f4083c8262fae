//! Import, writing paper files on a thread of their own, so the next
//! records are merged while the file system creates the last ones (on a
//! large import, creating files is a third of the work).
//!
//! Files are written in the order they are handed over, each whole or not
//! at all ([`super::atomic`]), and each paper's line of the import record
//! is appended to the record's journal once its file is in place: a kill
//! at any moment leaves no paper that the record does not know about but
//! for the one being written. A file still on its way is waited for before
//! it is read again ([`Writer::settle`]). The first error stops the thread
//! and is returned by the next call: the import stops there, naming the
//! file and the reason.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::atomic::{self, Replace};
use super::produced::Journal;
use crate::error::{Error, Result};

/// At most this many bytes of files wait for the thread: a few large
/// records cannot pile up in memory behind a slow disk.
const QUEUED_BYTES: usize = 32 << 20;

enum Job {
    /// Write `text` to `path`, then append `record` (its paper's line) to the journal.
    Write { path: PathBuf, text: String, replace: Replace, record: Option<String> },
    /// Append a paper's line to the journal (its file did not change).
    Record(String),
    /// Say when every job before this one is done.
    Flush(SyncSender<()>),
}

/// The thread that writes, and the files handed to it.
pub struct Writer {
    sender: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<Result<()>>>,
    /// Files handed over since the last flush, and their bytes.
    in_flight: HashSet<PathBuf>,
    queued: usize,
}

impl Writer {
    /// Starts the thread; the record lines go to `journal`.
    pub fn start(journal: Journal) -> Writer {
        let (sender, receiver) = sync_channel(256);
        let thread = std::thread::spawn(move || run(receiver, journal));
        Writer { sender: Some(sender), thread: Some(thread), in_flight: HashSet::new(), queued: 0 }
    }

    /// Hands `text` over to be written to `path`, then `record` to the journal.
    pub fn write(
        &mut self,
        path: &Path,
        text: String,
        replace: Replace,
        record: Option<String>,
    ) -> Result<()> {
        self.queued += text.len();
        if self.queued > QUEUED_BYTES {
            self.flush()?;
        }
        self.in_flight.insert(path.to_path_buf());
        self.send(Job::Write { path: path.to_path_buf(), text, replace, record })
    }

    /// Hands over a paper's record line whose file did not change.
    pub fn record(&mut self, line: String) -> Result<()> {
        self.send(Job::Record(line))
    }

    /// Waits until `path` is written, when it was handed over.
    pub fn settle(&mut self, path: &Path) -> Result<()> {
        match self.in_flight.contains(path) {
            true => self.flush(),
            false => Ok(()),
        }
    }

    /// Waits until every file handed over is written.
    fn flush(&mut self) -> Result<()> {
        let (done, wait) = sync_channel(1);
        self.send(Job::Flush(done))?;
        match wait.recv() {
            Ok(()) => {
                self.in_flight.clear();
                self.queued = 0;
                Ok(())
            }
            Err(_) => Err(self.stopped()),
        }
    }

    /// Waits for every file, and says whether all were written.
    pub fn finish(mut self) -> Result<()> {
        drop(self.sender.take());
        self.join()
    }

    fn send(&mut self, job: Job) -> Result<()> {
        match self.sender.as_ref().map(|s| s.send(job)) {
            Some(Ok(())) => Ok(()),
            _ => Err(self.stopped()),
        }
    }

    /// The thread's own error, once it has stopped.
    fn stopped(&mut self) -> Error {
        drop(self.sender.take());
        self.join().err().unwrap_or(Error::WriterStopped)
    }

    fn join(&mut self) -> Result<()> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Error::Panicked("the paper file writer")),
            None => Err(Error::WriterStopped),
        }
    }
}

/// Writes each job's file until the first error or the last job.
fn run(receiver: Receiver<Job>, mut journal: Journal) -> Result<()> {
    let mut made = HashSet::new();
    for job in receiver {
        match job {
            Job::Write { path, text, replace, record } => {
                let dir = path.parent().unwrap_or(Path::new("."));
                if replace == Replace::Never && made.insert(dir.to_path_buf()) {
                    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
                }
                atomic::write(&path, text.as_bytes(), replace, atomic::Sync::Later)?;
                if let Some(line) = record {
                    journal.append(&line)?;
                }
            }
            Job::Record(line) => journal.append(&line)?,
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_in_order_and_waited_for_and_their_lines_journaled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2024-04-02/a.md");
        let journal_path = dir.path().join("journal");
        let mut writer = Writer::start(Journal::open(&journal_path).unwrap());
        writer.write(&path, "one".into(), Replace::Never, Some("{\"id\":\"a\"}".into())).unwrap();
        writer.settle(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        writer.write(&path, "two".into(), Replace::Allowed, None).unwrap();
        writer.record("{\"id\":\"b\"}".into()).unwrap();
        writer.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(std::fs::read_to_string(journal_path).unwrap(), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
    }

    #[test]
    fn the_first_error_is_returned() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("taken.md"), "x").unwrap();
        let mut writer = Writer::start(Journal::open(&dir.path().join("journal")).unwrap());
        writer.write(&dir.path().join("taken.md"), "y".into(), Replace::Never, None).unwrap();
        let err = writer.finish().unwrap_err();
        assert!(
            matches!(&err, crate::error::Error::PaperFileTaken(path) if path.ends_with("taken.md")),
            "{err}"
        );
    }
}
