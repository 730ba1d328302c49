//! Sharing a list of jobs among the cores, results kept in job order.
//!
//! Used for files (`engine::check_sources`), rules on a large world, and the
//! pieces of a large YAML file. Results go back by index, so nothing depends
//! on which thread finished first.

use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most threads that each hold a world of their own (a timeline's
/// points, proposals): on a machine of many cores the worlds' memory, not
/// the cores, would bound them.
pub const MAX_WORLD_THREADS: usize = 4;

thread_local! {
    /// Whether this thread is doing the jobs of a `share_out`.
    static SHARING: Cell<bool> = const { Cell::new(false) };
}

/// The cores a caller may share work among: the machine's (1 if unknown),
/// or 1 on a thread already doing a `share_out`'s jobs, whose cores are
/// taken. Jobs that share out work of their own (a timeline's points, each
/// checking rules; the files of a check, each with its rules) then do it on
/// their own thread, rather than start threads on threads.
pub fn cores() -> usize {
    if SHARING.with(Cell::get) {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `each(state, index, job)` for every job on up to `workers` threads,
/// each thread with its own `state` from `init`. `each` returns `None` to
/// stop every thread early (jobs not yet started are skipped). Returns each
/// job's result in job order; a skipped job's is `None`.
pub fn share_out<'j, J: Sync, S, R: Send>(
    jobs: &'j [J],
    workers: usize,
    init: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize, &'j J) -> Option<R> + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    // Only jobs shared among threads take the cores: one worker doing
    // every job (one file to check) leaves them to the jobs' own sharing.
    let threads = workers.min(jobs.len());
    let work = || {
        let was = SHARING.with(|sharing| sharing.replace(sharing.get() || threads > 1));
        let mut state = init();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let (Some(job), Some(slot)) = (jobs.get(i), slots.get(i)) else {
                break;
            };
            let Some(result) = each(&mut state, i, job) else {
                next.store(jobs.len(), Ordering::Relaxed);
                break;
            };
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(result);
            }
        }
        SHARING.with(|sharing| sharing.set(was));
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            // Deeply nested (hostile) input recurses: give helpers the main
            // thread's stack size.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                break; // this thread still does every job left
            }
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs shared among threads see one core each, so that what they share
    /// out in turn runs on their own thread; one worker doing every job
    /// leaves the cores to its jobs; and the thread that shared is itself
    /// again afterwards.
    #[test]
    fn shared_jobs_take_the_cores_and_give_them_back() {
        let machine = cores();
        let jobs = [(); 6];
        let seen = share_out(&jobs, 2, || (), |_, _, _| Some(cores()));
        assert!(seen.iter().all(|c| *c == Some(1)), "{seen:?}");
        let alone = share_out(&jobs[..1], 2, || (), |_, _, _| Some(cores()));
        assert_eq!(alone, [Some(machine)]);
        let single = share_out(&jobs, 1, || (), |_, _, _| Some(cores()));
        assert!(single.iter().all(|c| *c == Some(machine)), "{single:?}");
        assert_eq!(cores(), machine);
    }

    #[test]
    fn results_come_back_in_job_order_and_a_stop_skips_the_rest() {
        let jobs: Vec<u32> = (0..100).collect();
        let all = share_out(
            &jobs,
            4,
            || 0u32,
            |seen, _, &j| {
                *seen += 1;
                Some(j * 2)
            },
        );
        assert_eq!(all, jobs.iter().map(|j| Some(j * 2)).collect::<Vec<_>>());
        let stopped = share_out(&jobs, 1, || (), |_, i, &j| (i < 10).then_some(j));
        assert_eq!(stopped.iter().flatten().count(), 10);
        assert!(stopped[10..].iter().all(Option::is_none));
    }
}
