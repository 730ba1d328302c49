//! Which files a run reads: the paths named, and what walking directories
//! finds. One walk for `check`, `test`, `fmt`, `--rules` and the pre-commit
//! hook alike.

use super::read::{FileId, Trust};
use globset::GlobSet;
use std::path::{Path, PathBuf};

/// What the files are wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Scenario files (`*.yaml`, `*.yml`): `check`.
    Scenarios,
    /// Rule tests (`*.test.yaml`) and scenarios with claims: `test`.
    Tests,
    /// Rule files (`*.rules`): `--rules`, `fmt`.
    Rules,
}

impl Purpose {
    fn wants(self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match self {
            // A rule test is not a scenario, though it holds scenarios.
            Purpose::Scenarios => is_yaml(name) && !is_rule_test(path),
            Purpose::Tests => is_yaml(name),
            Purpose::Rules => name.ends_with(".rules"),
        }
    }
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// `*.test.yaml` / `*.test.yml`: a rule-test file.
pub fn is_rule_test(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// Whether a YAML text is a scenario: its top level has a `scenario:` key.
/// Files found by walking that are not (workflows, compose files) are not
/// parity's. Looks at lines starting in the first column, and parses the
/// text only when the root is a flow mapping.
pub fn is_scenario_text(text: &str) -> bool {
    let mut first = true;
    // A byte-order mark, as some editors write, is not part of the key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || line.starts_with("%") {
            continue;
        }
        if first && trimmed.starts_with('{') {
            return flow_root_has_scenario(text);
        }
        first = false;
        let key = line
            .strip_prefix("scenario")
            .or_else(|| line.strip_prefix("\"scenario\""))
            .or_else(|| line.strip_prefix("'scenario'"));
        if key.is_some_and(|rest| rest.trim_start().starts_with(':')) {
            return true;
        }
    }
    false
}

fn flow_root_has_scenario(text: &str) -> bool {
    use crate::scenario::yaml::{Value, YamlLimits, parse};
    match parse(text, "", &YamlLimits::default()) {
        Ok(root) => match root.value {
            Value::Map(entries) => entries
                .iter()
                .any(|(k, _)| k.value == Value::Str("scenario".into())),
            _ => false,
        },
        // A file that does not parse but starts like a mapping is reported.
        Err(_) => true,
    }
}

/// A path the run was given.
#[derive(Debug, Clone)]
pub struct Root {
    pub path: PathBuf,
    pub trust: Trust,
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What to open: for a symbolic link inside the tree, its resolved target.
    pub path: PathBuf,
    /// What reports call it: the path as walked.
    pub name: String,
    pub trust: Trust,
    /// Found by walking (its content decides whether it is a scenario),
    /// rather than named.
    pub walked: bool,
    /// Reached through a symbolic link met while walking.
    pub via_link: bool,
}

/// What a walk found, and what it passed over that a person would want to know of.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Found>,
    /// One line per file or link passed over, e.g. a link out of the tree.
    pub skipped: Vec<String>,
}

/// Globs of paths not to walk into or read (`exclude` in `parity.toml`),
/// relative to `base`.
#[derive(Debug, Clone)]
pub struct Exclude {
    pub base: PathBuf,
    pub globs: GlobSet,
}

impl Exclude {
    fn matches(&self, path: &Path) -> bool {
        let Ok(absolute) = std::path::absolute(path) else {
            return false;
        };
        let absolute = normalize(&absolute);
        absolute
            .strip_prefix(&self.base)
            .is_ok_and(|relative| self.globs.is_match(relative))
    }
}

/// The repository `start` lies in: the nearest directory at or above it
/// holding a `.git` entry (a directory, or the file a worktree or submodule
/// has). `start` should be absolute; `None` outside any repository.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// Whether `path` names a directory (through links: a base directory given
/// on the command line is the user's own choice).
pub fn is_directory(path: &Path) -> bool {
    path.metadata().is_ok_and(|m| m.is_dir())
}

/// `path` with every link and `..` resolved, if it exists.
pub fn resolve(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Whether something (a link included, not followed) is at `path`.
pub fn exists_unfollowed(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Whether a regular file itself (not a link to one) is at `path`.
pub fn is_file_unfollowed(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The files under `roots` that `purpose` wants: named files always, and
/// walked files as the module's doc says. Sorted by name, each file once.
pub fn discover(roots: &[Root], purpose: Purpose, exclude: Option<&Exclude>) -> Discovery {
    let mut discovery = Discovery::default();
    for root in roots {
        let is_dir = match root.trust {
            Trust::Named => root.path.is_dir(),
            // A directory named by the repository is walked only if it is one,
            // not a link to one.
            Trust::Found => std::fs::symlink_metadata(&root.path).is_ok_and(|m| m.is_dir()),
        };
        if is_dir {
            walk(root, purpose, exclude, &mut discovery);
        } else if root.trust == Trust::Found {
            // A file named by the repository rather than by a person (in
            // parity.toml, or by pre-commit with --filter-named) is taken as
            // a walk would take it.
            named_by_repository(root, purpose, exclude, &mut discovery);
        } else {
            discovery.files.push(Found {
                path: root.path.clone(),
                name: shown(&root.path),
                trust: root.trust,
                walked: false,
                via_link: false,
            });
        }
    }
    discovery.files.sort_by(|a, b| a.name.cmp(&b.name));
    dedup(&mut discovery.files);
    discovery
}

/// A path as reports name it: as walked, without a leading `./`.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.trim_start_matches('/').to_string(),
        _ => text,
    }
}

/// Keeps one name per file: the real one over a link's, else the first.
fn dedup(files: &mut Vec<Found>) {
    let ids: Vec<Option<FileId>> = files
        .iter()
        .map(|f| {
            std::fs::metadata(&f.path)
                .ok()
                .as_ref()
                .and_then(FileId::of)
        })
        .collect();
    let mut keep = vec![true; files.len()];
    let mut first: std::collections::HashMap<FileId, usize> = std::collections::HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        match first.get(id) {
            None => {
                first.insert(*id, i);
            }
            Some(&j) => {
                if files[j].via_link && !files[i].via_link {
                    keep[j] = false;
                    first.insert(*id, i);
                } else {
                    keep[i] = false;
                }
            }
        }
    }
    let mut index = 0;
    files.retain(|_| {
        index += 1;
        keep[index - 1]
    });
}

/// Directory names never walked into: build output and installed packages.
const PRUNED: &[&str] = &["target", "node_modules"];

fn walk(root: &Root, purpose: Purpose, exclude: Option<&Exclude>, out: &mut Discovery) {
    let boundary = std::fs::canonicalize(&root.path).unwrap_or_else(|_| root.path.clone());
    let excluded = exclude.cloned();
    let mut builder = ignore::WalkBuilder::new(&root.path);
    builder
        .follow_links(false)
        .hidden(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        // The user's global gitignore would make results depend on the machine.
        .git_global(false)
        .parents(true)
        // .gitignore counts even outside a git checkout (an unpacked archive, CI caches).
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| PRUNED.contains(&n))
            {
                return false;
            }
            !excluded.as_ref().is_some_and(|e| e.matches(entry.path()))
        });
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                out.skipped.push(format!("{}", error));
                continue;
            }
        };
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            link(path, &boundary, purpose, out);
            continue;
        }
        if !purpose.wants(path) {
            continue;
        }
        if !file_type.is_file() {
            out.skipped.push(format!(
                "skipped {}: it is {}, not a regular file",
                shown(path),
                super::read::special_kind(file_type)
            ));
            continue;
        }
        out.files.push(Found {
            path: path.to_path_buf(),
            name: shown(path),
            trust: Trust::Found,
            walked: true,
            via_link: false,
        });
    }
}

fn named_by_repository(
    root: &Root,
    purpose: Purpose,
    exclude: Option<&Exclude>,
    out: &mut Discovery,
) {
    let path = &root.path;
    if !purpose.wants(path) || exclude.is_some_and(|e| e.matches(path)) {
        return;
    }
    let boundary = std::fs::canonicalize(".").unwrap_or_default();
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => link(path, &boundary, purpose, out),
        Ok(m) if m.is_file() => out.files.push(Found {
            path: path.clone(),
            name: shown(path),
            trust: Trust::Found,
            walked: true,
            via_link: false,
        }),
        Ok(m) => out.skipped.push(format!(
            "skipped {}: it is {}, not a regular file",
            shown(path),
            super::read::special_kind(m.file_type())
        )),
        // Missing: reported when it is read.
        Err(_) => out.files.push(Found {
            path: path.clone(),
            name: shown(path),
            trust: Trust::Found,
            walked: false,
            via_link: false,
        }),
    }
}

/// A symbolic link met while walking is read only if it leads to a regular
/// file inside the directory walked.
fn link(path: &Path, boundary: &Path, purpose: Purpose, out: &mut Discovery) {
    let target = std::fs::canonicalize(path);
    let metadata = target.as_ref().ok().and_then(|t| std::fs::metadata(t).ok());
    let name = shown(path);
    match (&target, &metadata) {
        (Ok(target), Some(metadata)) if metadata.is_dir() => {
            // Not walked: it could lead out of the tree or back into it.
            if !target.starts_with(boundary) {
                out.skipped.push(format!(
                    "skipped {name}: a symbolic link to a directory outside {}",
                    boundary.display()
                ));
            }
        }
        _ if !purpose.wants(path) => {}
        (Ok(target), Some(metadata))
            if metadata.is_file() && target.starts_with(boundary) && !hidden(target, boundary) =>
        {
            out.files.push(Found {
                path: target.clone(),
                name,
                trust: Trust::Found,
                walked: true,
                via_link: true,
            });
        }
        (Ok(target), Some(metadata)) if metadata.is_file() => out.skipped.push(format!(
            "skipped {name}: a symbolic link to a file outside the files walked ({})",
            target.display()
        )),
        (Ok(_), Some(metadata)) => out.skipped.push(format!(
            "skipped {name}: a symbolic link to {}, not a regular file",
            super::read::special_kind(metadata.file_type())
        )),
        _ => out
            .skipped
            .push(format!("skipped {name}: a broken or looping symbolic link")),
    }
}

/// Whether `target` lies, below `boundary`, in a place the walk itself
/// would not enter (a hidden directory such as `.git`, `target/`, `node_modules/`).
fn hidden(target: &Path, boundary: &Path) -> bool {
    target.strip_prefix(boundary).map_or(true, |relative| {
        relative.components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_none_or(|n| n.starts_with('.') || PRUNED.contains(&n))
        })
    })
}
