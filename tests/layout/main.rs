//! The crate's layout as DESIGN.md draws it, checked on the sources: no
//! import cycle between modules, no wing importing one drawn above it, and
//! every module named in the wings' table.
//!
//! A module's imports are the `crate::…`, `super::…` and `self::…` paths in
//! its code (`use` trees expanded, paths inside expressions too), outside
//! comments and its `#[cfg(test)]` tail; each path is resolved to the
//! deepest module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// A module's path from the crate root (`["clean", "dates", "formats"]`).
type Module = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file and the module it is.
fn modules() -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src()).expect("under src");
            let mut module: Module =
                rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            // A test module in a file of its own is test code, like a `#[cfg(test)]` tail.
            if module.last().is_some_and(|m| m == "tests") {
                continue;
            }
            out.insert(module, std::fs::read_to_string(&path).expect("a source file"));
        }
    }
    out
}

/// The code of a file: comments and the `#[cfg(test)]` tail left out.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(") && (t.contains("(test") || t.contains(" test")) {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" // ").next().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// The paths a `use` tree names: `super::{a, b::{c, d}}` → `super::a`, `super::b::c`, `super::b::d`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else { return vec![tree] };
    let prefix = &tree[..open];
    let inner = tree[open + 1..].strip_suffix('}').unwrap_or(&tree[open + 1..]);
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(|p| expand(&format!("{prefix}{p}"))).collect()
}

/// The paths a file's code names, relative to the crate, `super` or `self`.
fn paths(code: &str) -> Vec<String> {
    let uses = Regex::new(r"\buse\s+((?:crate|super|self)::[^;]+);").unwrap();
    let inline = Regex::new(r"\b(?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+").unwrap();
    let mut out: Vec<String> = uses.captures_iter(code).flat_map(|c| expand(&c[1])).collect();
    let rest = uses.replace_all(code, "");
    out.extend(inline.find_iter(&rest).map(|m| m.as_str().to_string()));
    out
}

/// The module a path from `from` names: as deep as the path goes through modules.
fn resolve(from: &Module, path: &str, all: &BTreeMap<Module, String>) -> Option<Module> {
    let mut at = from.clone();
    let mut segments = path.split("::").peekable();
    match segments.peek().copied() {
        Some("crate") => at.clear(),
        Some("self") => {}
        Some("super") => {}
        _ => return None,
    }
    if segments.peek() != Some(&"super") {
        segments.next();
    }
    while segments.peek() == Some(&"super") {
        segments.next();
        at.pop()?;
    }
    for s in segments {
        let mut deeper = at.clone();
        deeper.push(s.to_string());
        if !all.contains_key(&deeper) {
            break;
        }
        at = deeper;
    }
    Some(at)
}

/// Who imports whom: `from → to`, self-imports left out.
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let all = modules();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, text) in &all {
        let entry = edges.entry(module.clone()).or_default();
        for p in paths(&code(text)) {
            if let Some(to) = resolve(module, &p, &all).filter(|to| to != module) {
                entry.insert(to);
            }
        }
    }
    edges
}

/// Whether `a` is `b` or holds it.
fn holds(a: &Module, b: &Module) -> bool {
    b.starts_with(a)
}

/// The strongly connected components of more than one module (Tarjan's
/// algorithm, iterative enough for a crate's few hundred modules).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Tarjan<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on_stack: BTreeSet<Module>,
        out: Vec<Vec<Module>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: &Module) {
            let i = self.index.len();
            self.index.insert(v.clone(), i);
            self.low.insert(v.clone(), i);
            self.stack.push(v.clone());
            self.on_stack.insert(v.clone());
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(&w);
                    let done = &w == v;
                    component.push(w);
                    if done {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.out.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.out
}

fn show(m: &Module) -> String {
    if m.is_empty() { "crate".to_string() } else { m.join("::") }
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    // A module's own children are part of it: `mod.rs` runs its stages, and a
    // stage reading its wing's shared types from `mod.rs` is no cycle of
    // files. Every other pair is checked.
    let mut edges = graph();
    for (from, tos) in edges.iter_mut() {
        tos.retain(|to| !holds(to, from) && !holds(from, to));
    }
    let found: Vec<String> =
        cycles(&edges).iter().map(|c| c.iter().map(show).collect::<Vec<_>>().join(" ⇄ ")).collect();
    assert!(found.is_empty(), "import cycles between modules:\n{}", found.join("\n"));
}

/// The wings from the top of DESIGN.md's drawing to its bottom: a wing may
/// import only wings below it (those on one level import neither).
const LEVELS: &[&[&str]] = &[
    &[""],
    &["crawl"],
    &["warc"],
    &["fetch"],
    &["extract", "repost"],
    &["html", "plain"],
    &["clean"],
    &["model"],
    &["text", "error"],
    &["tuning", "counted"],
];

fn level(m: &Module) -> Option<usize> {
    let wing = m.first().map_or("", String::as_str);
    LEVELS.iter().position(|l| l.contains(&wing))
}

#[test]
fn no_wing_imports_one_drawn_above_it() {
    let mut wrong = Vec::new();
    for (from, tos) in graph() {
        for to in tos {
            let (Some(a), Some(b)) = (level(&from), level(&to)) else {
                wrong.push(format!("{} → {}: a wing DESIGN.md does not draw", show(&from), show(&to)));
                continue;
            };
            let same_wing = from.first() == to.first();
            if !same_wing && b <= a {
                wrong.push(format!("{} → {}", show(&from), show(&to)));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against DESIGN.md's drawing:\n{}", wrong.join("\n"));
}

#[test]
fn the_wings_table_names_every_module() {
    let design = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("DESIGN.md")).unwrap();
    let table: Vec<&str> = design.lines().filter(|l| l.starts_with("| `")).collect();
    let mut missing = Vec::new();
    for module in modules().keys() {
        let (Some(wing), Some(name)) = (module.first(), module.last()) else { continue };
        if module.len() == 1 {
            continue; // a wing itself, or a file at the root (`plain.rs`, `tuning.rs`)
        }
        let row = table.iter().find(|l| l.starts_with(&format!("| `{wing}/`")));
        let named = row.is_some_and(|r| r.contains(&format!("`{name}`")) || r.contains(&format!("`{name}/`")));
        if !named {
            missing.push(show(module));
        }
    }
    assert!(missing.is_empty(), "modules DESIGN.md's wings table does not name:\n{}", missing.join("\n"));
}

#[test]
fn the_checks_see_a_cycle_and_an_import_upwards() {
    // The reader itself: a `use` tree expanded, a cycle found.
    assert_eq!(expand("super::{a, b::{c, d}}"), ["super::a", "super::b::c", "super::b::d"]);
    let m = |s: &str| s.split("::").map(str::to_string).collect::<Module>();
    let mut edges = BTreeMap::new();
    edges.insert(m("model::article"), BTreeSet::from([m("model::page")]));
    edges.insert(m("model::page"), BTreeSet::from([m("model::article")]));
    edges.insert(m("model::date"), BTreeSet::new());
    assert_eq!(cycles(&edges).len(), 1);
    assert!(level(&m("clean::body")) > level(&m("html::walk")));
}
