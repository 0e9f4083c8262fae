//! Enrich, the run: papers are sent `concurrency` at a time, each from a
//! worker thread, and each answer is written into its paper file here, on
//! the thread that owns the import record, as soon as it arrives. So an
//! interrupted run keeps every paper finished, and the next run goes on
//! with the others (a paper's file names what a model wrote in it, in case
//! the record was not saved: see [`super::select::mark`]).
//!
//! An answer that cannot be used is asked for once more, then the paper is
//! skipped with a warning. A key the API refuses, a request it refuses, or
//! a paper that got no answer within its tries stops the run: nothing more
//! is sent, the answers on their way are written, and the run says why.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use super::answer::{self, Answer};
use super::client::{Client, Failure, Usage};
use super::prompt::Prompt;
use super::select::{self, Candidate};
use super::{Stop, Tally};
use crate::import::merge::{GeneratedMark, Hash, PaperFile, Produced};
use crate::load::GENERATED_FIELDS;

/// How often the record is saved while a run goes on.
const SAVE_EVERY: Duration = Duration::from_secs(5);

/// What a run needs besides its papers.
pub struct Job<'a> {
    pub client: &'a Client,
    pub prompt: &'a Prompt,
    pub language: &'a str,
    pub model: &'a str,
    /// The day written into `generated.date`.
    pub today: String,
    pub force: bool,
    pub concurrency: usize,
    /// Stop sending once this many tokens were used.
    pub max_tokens: Option<u64>,
}

/// What a worker brings back for one paper.
enum Message {
    Answered { answer: Answer, source: Hash, usage: Usage },
    Skipped { why: String, usage: Usage },
    Failed { failure: Failure, usage: Usage },
}

/// Sends every candidate, writes every answer; `progress` is told after each paper.
pub fn run(
    job: &Job,
    candidates: &[Candidate],
    produced: &mut Produced,
    progress: &mut dyn FnMut(&Tally),
) -> crate::error::Result<Tally> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let mut tally = Tally { total: candidates.len(), ..Tally::default() };
    let (sender, receiver) = sync_channel(job.concurrency);
    std::thread::scope(|scope| -> crate::error::Result<()> {
        for _ in 0..job.concurrency.min(candidates.len()) {
            let sender = sender.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(candidate) = candidates.get(next.fetch_add(1, Ordering::Relaxed)) else { break };
                    let message = ask(job, candidate);
                    // A paper that got no answer stops the others at once.
                    if matches!(message, Message::Failed { .. }) {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if sender.send((candidate, message)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut saved = Instant::now();
        for (candidate, message) in receiver {
            receive(job, candidate, message, produced, &mut tally);
            if tally.stop.is_some() {
                stop.store(true, Ordering::Relaxed);
            }
            if saved.elapsed() > SAVE_EVERY {
                produced.save()?;
                saved = Instant::now();
            }
            progress(&tally);
        }
        Ok(())
    })?;
    tally.left = candidates.len() - tally.done - tally.skipped.len() - tally.failed;
    produced.save()?;
    Ok(tally)
}

/// Asks the model about one paper, and once more if the answer cannot be used.
fn ask(job: &Job, candidate: &Candidate) -> Message {
    let mut usage = Usage::default();
    let file = match PaperFile::open(&candidate.path) {
        Ok(file) => file,
        Err(why) => return Message::Skipped { why, usage },
    };
    let paper = file.paper();
    let text = match job.prompt.render(paper, &candidate.ask, job.language) {
        Ok(text) => text,
        Err(why) => return Message::Failed { failure: Failure::Refused(why), usage },
    };
    let mut why = String::new();
    for _ in 0..2 {
        match job.client.ask(&text) {
            Ok(reply) => {
                usage.add(reply.usage);
                match answer::read(&reply.content, &candidate.ask, job.language) {
                    Ok(answer) => return Message::Answered { answer, source: select::source(paper), usage },
                    Err(problem) => why = problem,
                }
            }
            Err(failure) => return Message::Failed { failure, usage },
        }
    }
    Message::Skipped { why: format!("{why} (asked twice)"), usage }
}

/// Writes an answer, or notes why there is none.
fn receive(job: &Job, candidate: &Candidate, message: Message, produced: &mut Produced, tally: &mut Tally) {
    let shown = || format!("{} ({})", candidate.id, candidate.path.display());
    match message {
        Message::Answered { answer, source, usage } => {
            tally.usage.add(usage);
            match write(job, candidate, &answer, source, produced) {
                Ok(()) => tally.done += 1,
                Err(why) => tally.skipped.push(format!("{}: {why}; skipped", shown())),
            }
        }
        Message::Skipped { why, usage } => {
            tally.usage.add(usage);
            tally.skipped.push(format!("{}: {why}; skipped", shown()));
        }
        Message::Failed { failure, usage } => {
            tally.usage.add(usage);
            tally.failed += 1;
            if tally.stop.is_none() {
                tally.stop = Some(Stop::Failed(format!("{}: {}", shown(), failure.message())));
            }
        }
    }
    if let Some(budget) = job.max_tokens.filter(|b| tally.usage.total() >= *b) {
        tally.stop.get_or_insert(Stop::Budget(budget));
    }
}

/// Writes the fields of `answer` that may still be written into the
/// paper's file, marks them as the model's there and in the record.
fn write(
    job: &Job,
    candidate: &Candidate,
    answer: &Answer,
    source: Hash,
    produced: &mut Produced,
) -> Result<(), String> {
    let mut file = PaperFile::open(&candidate.path)?;
    if select::source(file.paper()) != source {
        return Err("its title or abstract changed while the model was asked".into());
    }
    let id = file.paper().id.clone();
    let mut marks = produced.get(&id).unwrap_or_default();
    let mark = select::mark(&file, marks.generated.take());
    let allowed = select::ask(&file, mark.as_ref(), &candidate.ask, job.force);
    // What a model wrote before and nobody changed since stays the model's.
    let mut fields: BTreeMap<String, Hash> = mark
        .map(|m| m.fields.into_iter().filter(|(f, h)| file.hash(f) == Some(*h)).collect())
        .unwrap_or_default();
    for (field, value) in answer.values.iter().filter(|(f, _)| allowed.contains(f)) {
        fields.insert(field.name().to_owned(), file.set(field.name(), value));
    }
    let names: Vec<String> =
        GENERATED_FIELDS.iter().filter(|f| fields.contains_key(**f)).map(|f| (*f).to_owned()).collect();
    file.set_generated(job.model, &job.today, &names);
    file.save()?;
    marks.generated = (!fields.is_empty()).then_some(GeneratedMark { source, fields });
    produced.set(&id, marks);
    Ok(())
}
