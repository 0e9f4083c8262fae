//! Import, writing paper files on a thread of their own, so the next
//! records are merged while the file system creates the last ones (on a
//! large import, creating files is a third of the work).
//!
//! Files are written in the order they are handed over. A file still on
//! its way is waited for before it is read again ([`Writer::settle`]); the
//! first error stops the thread and is returned by the next call.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::{create_file, write_file};
use crate::error::{Error, Result};

enum Job {
    /// Write `text` to `path`; `new`: no file is there yet.
    Write { path: PathBuf, text: String, new: bool },
    /// Say when every job before this one is done.
    Flush(SyncSender<()>),
}

/// The thread that writes, and the files handed to it.
pub struct Writer {
    sender: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<Result<()>>>,
    /// Files handed over since the last flush.
    in_flight: HashSet<PathBuf>,
}

impl Writer {
    pub fn start() -> Writer {
        let (sender, receiver) = sync_channel(256);
        let thread = std::thread::spawn(move || run(receiver));
        Writer { sender: Some(sender), thread: Some(thread), in_flight: HashSet::new() }
    }

    /// Hands `text` over to be written to `path`.
    pub fn write(&mut self, path: &Path, text: String, new: bool) -> Result<()> {
        self.in_flight.insert(path.to_path_buf());
        self.send(Job::Write { path: path.to_path_buf(), text, new })
    }

    /// Waits until `path` is written, when it was handed over.
    pub fn settle(&mut self, path: &Path) -> Result<()> {
        if !self.in_flight.contains(path) {
            return Ok(());
        }
        let (done, wait) = sync_channel(1);
        self.send(Job::Flush(done))?;
        match wait.recv() {
            Ok(()) => {
                self.in_flight.clear();
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
fn run(receiver: Receiver<Job>) -> Result<()> {
    let mut made = HashSet::new();
    for job in receiver {
        match job {
            Job::Write { path, text, new: true } => {
                let dir = path.parent().unwrap_or(Path::new("."));
                if made.insert(dir.to_path_buf()) {
                    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
                }
                create_file(&path, &text)?;
            }
            Job::Write { path, text, new: false } => write_file(&path, &text, true)?,
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
    fn files_are_written_in_order_and_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2024-04-02/a.md");
        let mut writer = Writer::start();
        writer.write(&path, "one".into(), true).unwrap();
        writer.settle(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        writer.write(&path, "two".into(), false).unwrap();
        writer.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
    }

    #[test]
    fn the_first_error_is_returned() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("taken.md"), "x").unwrap();
        let mut writer = Writer::start();
        writer.write(&dir.path().join("taken.md"), "y".into(), true).unwrap();
        let err = writer.finish().unwrap_err().to_string();
        assert!(err.contains("holds another paper"), "{err}");
    }
}
