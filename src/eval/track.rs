//! Read tracking for incremental evaluation (`timeline`): which records an
//! evaluation reached, and which records differ between two worlds of one
//! scenario. An outer binding whose reads meet none of the changes gives
//! the same findings again, so it need not be evaluated again.
//!
//! Reads are noted in one place, the `Reader`'s record access (a record
//! reached by row or by id), plus the evaluator's scans and index probes;
//! whatever reads the evaluation date, or is not known to be a function of
//! its arguments alone, makes the binding *opaque*: evaluated at every point.

use crate::fast_hash::FastMap;
use crate::lang::schema::Collection;
use crate::scenario::world::World;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;

/// One thing an evaluation read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// A record, by a key stable across the worlds of one scenario: the id
    /// (`Sym`) of a state, government, mission or event; the address of a
    /// recognition or relation record. Read also when absent at the date.
    Record(u8, u64),
    /// Which records a collection holds (a scan, `count`, `exists`, `sum`).
    All(u8),
    /// The rows of an index with one key: (index, key), both hashed.
    Probe(u64, u64),
}

pub fn tag(collection: Collection) -> u8 {
    match collection {
        Collection::Missions => 0,
        Collection::States => 1,
        Collection::Governments => 2,
        Collection::Recognitions => 3,
        Collection::Relations => 4,
        Collection::Events => 5,
    }
}

/// Where reads are noted while tracking is on (off, it costs one test of a flag).
#[derive(Debug, Default)]
pub struct Tracker {
    on: Cell<bool>,
    opaque: Cell<bool>,
    reads: RefCell<Vec<Read>>,
}

impl Tracker {
    #[inline]
    pub fn on(&self) -> bool {
        self.on.get()
    }

    #[inline]
    pub fn note(&self, read: Read) {
        if self.on.get() {
            self.reads.borrow_mut().push(read);
        }
    }

    /// A read that cannot be tracked: the date, an unknown function.
    #[inline]
    pub fn note_opaque(&self) {
        if self.on.get() {
            self.opaque.set(true);
        }
    }

    pub fn start(&self) {
        self.reads.borrow_mut().clear();
        self.opaque.set(false);
        self.on.set(true);
    }

    /// The reads since `start` (sorted, without repeats), and whether any was opaque.
    pub fn stop(&self) -> (Vec<Read>, bool) {
        self.on.set(false);
        let mut reads = std::mem::take(&mut *self.reads.borrow_mut());
        reads.sort_unstable();
        reads.dedup();
        (reads, self.opaque.get())
    }

    /// Stops noting (index building reads every row for all bindings at
    /// once); gives what `resume` needs.
    pub fn pause(&self) -> bool {
        self.on.replace(false)
    }

    pub fn resume(&self, was: bool) {
        self.on.set(was);
    }
}

/// What differs between two worlds of one scenario.
#[derive(Debug, Default)]
pub struct Changes {
    /// Records whose view differs, or that are in one world only, and the
    /// collections that hold any such record.
    pub reads: HashSet<Read>,
    /// Those rows of the newer world: (collection, row).
    pub rows: Vec<(Collection, u32)>,
}

impl Changes {
    /// Between `old` and `new`; `None` when their ids are not interned alike
    /// (then values read in one cannot be compared with the other's).
    pub fn between(old: &World, new: &World) -> Option<Changes> {
        if !old.same_ids(new) {
            return None;
        }
        let mut changes = Changes::default();
        let sym = |s: u32| u64::from(s);
        let address = |r: *const u8| r as u64;
        diff(
            Collection::States,
            &old.states,
            &new.states,
            |r| sym(r.sym),
            &mut changes,
        );
        diff(
            Collection::Governments,
            &old.governments,
            &new.governments,
            |r| sym(r.sym),
            &mut changes,
        );
        diff(
            Collection::Missions,
            &old.missions,
            &new.missions,
            |r| sym(r.sym),
            &mut changes,
        );
        diff(
            Collection::Recognitions,
            &old.recognitions,
            &new.recognitions,
            |r| address(std::ptr::from_ref(r.record).cast()),
            &mut changes,
        );
        diff(
            Collection::Relations,
            &old.relations,
            &new.relations,
            |r| address(std::ptr::from_ref(r.record).cast()),
            &mut changes,
        );
        diff(
            Collection::Events,
            &old.events,
            &new.events,
            |r| sym(r.sym),
            &mut changes,
        );
        Some(changes)
    }
}

/// The rows of one collection whose derived view (the row's `PartialEq`,
/// so a field added to a row is compared without more code) differs.
fn diff<T: PartialEq>(
    collection: Collection,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> u64,
    out: &mut Changes,
) {
    let t = tag(collection);
    let mut changed = false;
    // Rows are in scenario order in both worlds: unchanged ones pair up
    // position by position, until a record opens or closes.
    let mut before: FastMap<u64, &T> = FastMap::default();
    before.extend(old.iter().map(|r| (id(r), r)));
    for (row, record) in new.iter().enumerate() {
        let key = id(record);
        match before.remove(&key) {
            Some(previous) if previous == record => {}
            _ => {
                changed = true;
                out.reads.insert(Read::Record(t, key));
                out.rows
                    .push((collection, u32::try_from(row).unwrap_or(u32::MAX)));
            }
        }
    }
    for key in before.into_keys() {
        changed = true;
        out.reads.insert(Read::Record(t, key));
    }
    if changed {
        out.reads.insert(Read::All(t));
    }
}
