//! Sharing a list of jobs among the cores, results kept in job order.
//!
//! Used for files (`engine::check_sources`), rules on a large world, and the
//! pieces of a large YAML file. Results go back by index, so nothing depends
//! on which thread finished first.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The machine's cores (1 if unknown).
pub fn cores() -> usize {
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
    let work = || {
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
    };
    std::thread::scope(|scope| {
        for _ in 1..workers.min(jobs.len()) {
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
