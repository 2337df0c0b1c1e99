//! The parsed page as the walk needs it: a compact arena that html5ever's
//! tree builder fills, in place of scraper's DOM.
//!
//! The walk reads every element once, in document order: its name, its
//! attributes and its text. scraper's DOM is made for selectors and edits
//! (a qualified name, an attribute vector, cached id and classes, 64-bit
//! links: about 130 bytes a node); on a page of `<td>1</td>` cells, a node
//! every 5 bytes, that alone is 26 times the page. Here a node is 48 bytes:
//! 32-bit links, the local name's atom and the namespace, attributes (when
//! there are any) as a boxed slice of `(local name, value)`, text as the
//! tokenizer's tendril (most share the page's buffer). Comments, doctypes and processing
//! instructions keep no content.
//!
//! The tree built is scraper's to the node: the same tree builder, the
//! same answers to its questions (templates hold their contents in a
//! fragment child, attributes are sorted by name as scraper sorts them, the
//! defaults for the rest), which a test checks on every page of the
//! evaluation sets. One difference is made on purpose: a `<style>` has no
//! text (the parser skips the style sheet, which nothing reads).

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, Namespace, QualName, expanded_name, local_name, ns};

/// A node's place in the arena.
type Id = u32;
/// No node: the parent of the document and of orphans, the end of a list.
const NONE: Id = Id::MAX;
/// The document node.
const ROOT: Id = 0;

/// Nodes to a chunk of the arena (a power of two).
const CHUNK_NODES: usize = 4096;

/// A parsed page.
///
/// The arena grows a chunk at a time: a vector that doubles would hold its
/// old and new buffers at once (three times the nodes, at the last
/// doubling), and one sized up front from the page's `<` would reserve for
/// nodes a page of `<br>` runs never makes.
#[derive(Debug)]
pub(crate) struct Tree {
    chunks: Vec<Vec<Node>>,
    len: usize,
}

#[derive(Debug)]
struct Node {
    parent: Id,
    prev: Id,
    next: Id,
    first: Id,
    last: Id,
    data: Data,
}

#[derive(Debug)]
enum Data {
    Document,
    /// A `<template>`'s contents.
    Fragment,
    Element(Element),
    Text(StrTendril),
    /// A comment or a processing instruction: nothing the walk reads.
    Other,
}

/// An element: 24 bytes (the attributes boxed twice, so that the commonest
/// element, one without any, holds a null pointer and no slice).
#[derive(Debug)]
struct Element {
    local: LocalName,
    attrs: Option<Box<Attrs>>,
    ns: Ns,
}

type Attrs = Box<[(LocalName, StrTendril)]>;

/// The namespaces the HTML tree builder puts elements in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

impl Ns {
    fn of(ns: &Namespace) -> Ns {
        match *ns {
            ns!(svg) => Ns::Svg,
            ns!(mathml) => Ns::MathMl,
            _ => Ns::Html,
        }
    }

    fn namespace(self) -> &'static Namespace {
        match self {
            Ns::Html => &HTML,
            Ns::Svg => &SVG,
            Ns::MathMl => &MATHML,
        }
    }
}

impl Element {
    fn attrs(&self) -> &[(LocalName, StrTendril)] {
        self.attrs.as_deref().map_or(&[], |a| a)
    }
}

// The tree builder asks for names all the time (every scope check): they
// are lent, not cloned.
static HTML: Namespace = ns!(html);
static SVG: Namespace = ns!(svg);
static MATHML: Namespace = ns!(mathml);
static NO_NAME: LocalName = local_name!("");

/// An element as the walk sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct El<'a> {
    element: &'a Element,
}

impl<'a> El<'a> {
    /// The element's local name (lower case for HTML elements).
    pub(crate) fn name(self) -> &'a str {
        &self.element.local
    }

    /// The value of the attribute of that local name.
    pub(crate) fn attr(self, name: &str) -> Option<&'a str> {
        self.element.attrs().iter().find(|(n, _)| &**n == name).map(|(_, v)| &**v)
    }

    /// Every attribute, `(local name, value)`, sorted by name.
    pub(crate) fn attrs(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.element.attrs().iter().map(|(n, v)| (&**n, &**v))
    }
}

/// One step of a walk over the tree, in document order.
#[derive(Debug)]
pub(crate) enum Step<'a> {
    Open(El<'a>),
    Text(&'a str),
    /// The end of the element of that name.
    Close(&'a str),
}

impl Tree {
    /// An empty document.
    pub(crate) fn new() -> Tree {
        let mut tree = Tree { chunks: Vec::new(), len: 0 };
        tree.push(Data::Document);
        tree
    }

    /// Nodes in the arena (detached ones too).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Visits every element and text in document order, without recursion.
    pub(crate) fn walk<'a>(&'a self, mut visit: impl FnMut(Step<'a>)) {
        let mut at = self.first_child(ROOT);
        while at != NONE {
            let Some(node) = self.node(at) else { return };
            match &node.data {
                Data::Element(element) => visit(Step::Open(El { element })),
                Data::Text(text) => visit(Step::Text(text)),
                _ => {}
            }
            if node.first != NONE {
                at = node.first;
                continue;
            }
            // Close this node and every ancestor whose last child it ends.
            let mut up = at;
            loop {
                let Some(node) = self.node(up) else { return };
                if let Data::Element(element) = &node.data {
                    visit(Step::Close(&element.local));
                }
                if node.next != NONE {
                    at = node.next;
                    break;
                }
                up = node.parent;
                if up == ROOT || up == NONE {
                    return;
                }
            }
        }
    }

    fn node(&self, id: Id) -> Option<&Node> {
        let id = id as usize;
        self.chunks.get(id / CHUNK_NODES)?.get(id % CHUNK_NODES)
    }

    fn node_mut(&mut self, id: Id) -> Option<&mut Node> {
        let id = id as usize;
        self.chunks.get_mut(id / CHUNK_NODES)?.get_mut(id % CHUNK_NODES)
    }

    fn first_child(&self, id: Id) -> Id {
        self.node(id).map_or(NONE, |n| n.first)
    }

    fn push(&mut self, data: Data) -> Id {
        // The parser's element budget keeps the arena far below 2^32 nodes.
        let Ok(id) = Id::try_from(self.len) else { return NONE };
        if id == NONE {
            return NONE;
        }
        if self.len.is_multiple_of(CHUNK_NODES) {
            self.chunks.push(Vec::with_capacity(CHUNK_NODES));
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push(Node::new(data));
            self.len += 1;
        }
        id
    }

    /// Takes a node out of its parent's children.
    fn detach(&mut self, id: Id) {
        let Some(node) = self.node_mut(id) else { return };
        let (parent, prev, next) = (node.parent, node.prev, node.next);
        (node.parent, node.prev, node.next) = (NONE, NONE, NONE);
        if parent == NONE {
            return;
        }
        match self.node_mut(prev) {
            Some(p) => p.next = next,
            None => self.set(parent, |p| p.first = next),
        }
        match self.node_mut(next) {
            Some(n) => n.prev = prev,
            None => self.set(parent, |p| p.last = prev),
        }
    }

    /// Makes an orphan the last child of `parent`.
    fn append_child(&mut self, parent: Id, id: Id) {
        let Some(last) = self.node(parent).map(|p| p.last) else { return };
        if id == NONE || id == parent {
            return;
        }
        self.set(id, |n| (n.parent, n.prev, n.next) = (parent, last, NONE));
        match self.node_mut(last) {
            Some(l) => l.next = id,
            None => self.set(parent, |p| p.first = id),
        }
        self.set(parent, |p| p.last = id);
    }

    /// Makes an orphan the sibling just before `sibling`, which has a parent.
    fn insert_before(&mut self, sibling: Id, id: Id) {
        let Some((parent, prev)) = self.node(sibling).map(|s| (s.parent, s.prev)) else { return };
        if id == NONE || id == sibling {
            return;
        }
        self.set(id, |n| (n.parent, n.prev, n.next) = (parent, prev, sibling));
        self.set(sibling, |s| s.prev = id);
        match self.node_mut(prev) {
            Some(p) => p.next = id,
            None => self.set(parent, |p| p.first = id),
        }
    }

    fn set(&mut self, id: Id, change: impl FnOnce(&mut Node)) {
        if let Some(node) = self.node_mut(id) {
            change(node);
        }
    }

    /// Adds text to the text node `id`, if it is one.
    fn extend_text(&mut self, id: Id, text: &StrTendril) -> bool {
        match self.node_mut(id).map(|n| &mut n.data) {
            Some(Data::Text(t)) => {
                t.push_tendril(text);
                true
            }
            _ => false,
        }
    }
}

impl Node {
    fn new(data: Data) -> Node {
        Node { parent: NONE, prev: NONE, next: NONE, first: NONE, last: NONE, data }
    }
}

/// The tree builder's side of the tree.
pub(crate) struct Sink {
    tree: RefCell<Tree>,
}

impl Sink {
    pub(crate) fn new(tree: Tree) -> Sink {
        Sink { tree: RefCell::new(tree) }
    }
}

/// An element's name, as the tree builder asks for it.
#[derive(Debug)]
pub(crate) struct Name<'a> {
    ns: Ns,
    local: Ref<'a, LocalName>,
}

impl ElemName for Name<'_> {
    fn ns(&self) -> &Namespace {
        self.ns.namespace()
    }

    fn local_name(&self) -> &LocalName {
        &self.local
    }
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Tree;
    type ElemName<'a> = Name<'a>;

    fn finish(self) -> Tree {
        self.tree.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Name<'a> {
        let tree = self.tree.borrow();
        // The builder asks only of elements.
        let ns = match tree.node(*target).map(|n| &n.data) {
            Some(Data::Element(e)) => e.ns,
            _ => Ns::Html,
        };
        let local = Ref::map(tree, |t| match t.node(*target).map(|n| &n.data) {
            Some(Data::Element(e)) => &e.local,
            _ => &NO_NAME,
        });
        Name { ns, local }
    }

    fn create_element(&self, name: QualName, mut attrs: Vec<Attribute>, _flags: ElementFlags) -> Id {
        let template = name.expanded() == expanded_name!(html "template");
        // scraper's order, so the walk meets attributes as it did.
        attrs.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        let attrs = boxed(attrs.into_iter().map(|a| (a.name.local, a.value)).collect());
        let mut tree = self.tree.borrow_mut();
        let id = tree.push(Data::Element(Element { ns: Ns::of(&name.ns), local: name.local, attrs }));
        if template {
            let contents = tree.push(Data::Fragment);
            tree.append_child(id, contents);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.tree.borrow_mut().push(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.tree.borrow_mut().push(Data::Other)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        let mut tree = self.tree.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => {
                tree.detach(id);
                tree.append_child(*parent, id);
            }
            NodeOrText::AppendText(text) => {
                let last = tree.node(*parent).map_or(NONE, |p| p.last);
                if !tree.extend_text(last, &text) {
                    let id = tree.push(Data::Text(text));
                    tree.append_child(*parent, id);
                }
            }
        }
    }

    fn append_based_on_parent_node(&self, element: &Id, prev_element: &Id, child: NodeOrText<Id>) {
        let has_parent = self.tree.borrow().node(*element).is_some_and(|n| n.parent != NONE);
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &Id) -> Id {
        let tree = self.tree.borrow();
        match tree.first_child(*target) {
            NONE => *target,
            contents => contents,
        }
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        let mut tree = self.tree.borrow_mut();
        if let NodeOrText::AppendNode(id) = new_node {
            tree.detach(id);
        }
        let Some((parent, prev)) = tree.node(*sibling).map(|s| (s.parent, s.prev)) else { return };
        if parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => tree.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                if !tree.extend_text(prev, &text) {
                    let id = tree.push(Data::Text(text));
                    tree.insert_before(*sibling, id);
                }
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut tree = self.tree.borrow_mut();
        let Some(Data::Element(element)) = tree.node_mut(*target).map(|n| &mut n.data) else { return };
        let mut all: Vec<_> = element.attrs.take().map(|a| a.into_vec()).unwrap_or_default();
        for attr in attrs {
            // Sorted by name, as scraper keeps them.
            if let Err(at) = all.binary_search_by(|(name, _)| name.cmp(&attr.name.local)) {
                all.insert(at, (attr.name.local, attr.value));
            }
        }
        element.attrs = boxed(all);
    }

    fn remove_from_parent(&self, target: &Id) {
        self.tree.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut tree = self.tree.borrow_mut();
        let mut child = tree.first_child(*node);
        while child != NONE {
            let next = tree.node(child).map_or(NONE, |c| c.next);
            tree.detach(child);
            tree.append_child(*new_parent, child);
            child = next;
        }
    }
}

fn boxed(attrs: Vec<(LocalName, StrTendril)>) -> Option<Box<Attrs>> {
    (!attrs.is_empty()).then(|| Box::new(attrs.into_boxed_slice()))
}

/// Walks written out, ours and scraper's, for tests that compare the two.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Step, Tree};

    fn open(out: &mut String, name: &str, attrs: impl Iterator<Item = (impl AsRef<str>, impl AsRef<str>)>) {
        out.push('<');
        out.push_str(name);
        for (n, v) in attrs {
            out.push_str(&format!(" {}={:?}", n.as_ref(), v.as_ref()));
        }
        out.push('>');
    }

    /// The steps of a walk over our tree.
    pub(crate) fn steps(tree: &Tree) -> String {
        let mut out = String::new();
        tree.walk(|step| match step {
            Step::Open(el) => open(&mut out, el.name(), el.attrs()),
            Step::Text(t) => out.push_str(t),
            Step::Close(name) => out.push_str(&format!("</{name}>")),
        });
        out
    }

    /// Whether a node is the text of an HTML `<style>`, which the parser
    /// skips (nothing reads it).
    fn in_style(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
        let parent = node.parent().and_then(|p| p.value().as_element().map(|e| e.name.clone()));
        parent.is_some_and(|n| n.ns == html5ever::ns!(html) && n.local == html5ever::local_name!("style"))
    }

    /// Scraper's steps with each run of `<br>`s (white space between) read as
    /// one, as the parser reads them: the white space stays.
    pub(crate) fn one_break_a_run(steps: &str) -> String {
        // Compiled once: the property tests call this thousands of times.
        static RUNS: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"<br></br>(?:\s*<br></br>)+").unwrap());
        RUNS.replace_all(steps, |m: &regex::Captures| format!("<br></br>{}", m[0].replace("<br></br>", "")))
            .into_owned()
    }

    /// The same steps over scraper's tree of the page, less the text of
    /// `<style>` elements (see [`in_style`]).
    pub(crate) fn scraper_steps(page: &str) -> String {
        use ego_tree::iter::Edge;
        use scraper::Node;
        let html = scraper::Html::parse_document(page);
        let mut out = String::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(e) => open(&mut out, e.name(), e.attrs()),
                    Node::Text(t) if !in_style(node) => out.push_str(t),
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(e) = node.value() {
                        out.push_str(&format!("</{}>", e.name()));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testing::steps;
    use super::*;

    #[test]
    fn an_empty_tree_walks_to_nothing() {
        assert_eq!(steps(&Tree::new()), "");
    }

    #[test]
    fn detaching_and_inserting_keep_the_lists_whole() {
        let mut tree = Tree::new();
        let [a, b, c] = [0, 1, 2].map(|_| tree.push(Data::Text(StrTendril::from("x"))));
        tree.append_child(ROOT, a);
        tree.append_child(ROOT, c);
        tree.insert_before(c, b);
        assert_eq!(steps(&tree), "xxx");
        tree.detach(a);
        tree.detach(c);
        let root = tree.node(ROOT).unwrap();
        assert_eq!((root.first, root.last), (b, b));
        tree.detach(b);
        assert_eq!(tree.node(ROOT).unwrap().first, NONE);
        assert_eq!(steps(&tree), "");
    }
}

/// The tree and walk are scraper's on every page of the evaluation sets,
/// and none comes near the parser's element budget or the walk's line budget.
#[cfg(test)]
mod on_real_pages {
    use super::testing::{one_break_a_run, scraper_steps, steps};
    use crate::html::{decode, parse, walk};

    #[test]
    fn every_page_of_the_evaluation_sets_parses_as_scraper_parses_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
        let (mut pages, mut densest, mut most_lines) = (0, 0.0f64, 0.0f64);
        for set in ["zh-dev", "zh-more", "scrapinghub", "dates-dev", "tfeval-dev"] {
            let Ok(dir) = std::fs::read_dir(root.join(set).join("html")) else { continue };
            for entry in dir.flatten() {
                let bytes = std::fs::read(entry.path()).unwrap();
                let Ok(page) = decode::decode_cow(&bytes, None) else { continue };
                let parsed = parse::parse(&page, None);
                assert_eq!(parsed.flattened, 0, "{:?}", entry.path());
                let (ours, theirs) = (steps(&parsed.tree), one_break_a_run(&scraper_steps(&page)));
                if ours != theirs {
                    let at = ours.chars().zip(theirs.chars()).position(|(a, b)| a != b).unwrap_or(0);
                    let show = |s: &str| s.chars().skip(at.saturating_sub(60)).take(120).collect::<String>();
                    panic!("{:?}\nours:   {}\ntheirs: {}", entry.path(), show(&ours), show(&theirs));
                }
                let elements = steps(&parsed.tree).matches('<').count() / 2;
                let budget = parse::MIN_ELEMENTS + page.len() / parse::BYTES_PER_ELEMENT;
                densest = densest.max(elements as f64 / budget as f64);
                let lines = walk::walk(&parsed.tree, false, false, usize::MAX).lines.len();
                most_lines = most_lines.max(lines as f64 / walk::line_budget(page.len()) as f64);
                pages += 1;
            }
        }
        if pages == 0 {
            assert!(std::env::var_os("CI").is_none(), "{} is absent; CI needs it", root.display());
            return;
        }
        eprintln!("{pages} pages: at most {densest:.3} of the element budget, {most_lines:.3} of the line budget");
        assert!(densest < 0.5 && most_lines < 0.5, "{densest} {most_lines}");
    }
}

#[cfg(test)]
mod size {
    /// The size the module's docs promise, and the memory bounds rest on.
    #[test]
    fn a_node_is_48_bytes() {
        assert!(std::mem::size_of::<super::Node>() <= 48, "{}", std::mem::size_of::<super::Node>());
    }
}
