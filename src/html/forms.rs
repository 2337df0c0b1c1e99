//! Forms that page a list: an ASP.NET WebForms pager (`__doPostBack`, the
//! page's one `<form>` sent back with its view state) and a Java CMS's
//! `goPage(n)` over a form of hidden fields. A form is replayed only for a
//! control that pages — never a login form (one with a password field),
//! never a search or a comment (their buttons name no page).

use url::form_urlencoded::Serializer;

use crate::model::Post;

/// A `<form>` as the walk met it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    pub action: Option<String>,
    pub post: bool,
    /// The fields a browser sends: hidden and text inputs, checked boxes, in order.
    pub fields: Vec<(String, String)>,
    /// It holds a password field: a login form, never sent.
    pub password: bool,
}

/// Input types whose value a browser sends without a click.
const SENT_TYPES: &[&str] = &["", "hidden", "text", "search", "number", "tel", "email", "url", "date"];

/// Names of the hidden field that carries a list's page number.
const PAGE_FIELDS: &[&str] =
    &["pageno", "pagenum", "pagenumber", "pageindex", "currentpage", "curpage", "cpage", "page", "pn", "p"];

/// Link texts of a pager's controls (besides numbers).
const PAGER_TEXTS: &[&str] = &[
    "下一页",
    "上一页",
    "下页",
    "上页",
    "首页",
    "尾页",
    "末页",
    "后页",
    "前页",
    "next",
    "prev",
    "previous",
    "first",
    "last",
    "»",
    "«",
    ">",
    "<",
    ">>",
    "<<",
    "›",
    "‹",
];

impl Form {
    /// Notes an `<input>` of the form.
    pub(crate) fn input(&mut self, kind: Option<&str>, name: Option<&str>, value: Option<&str>, checked: bool) {
        let kind = kind.unwrap_or_default().trim().to_ascii_lowercase();
        if kind == "password" {
            self.password = true;
        }
        let Some(name) = name.filter(|n| !n.is_empty()) else { return };
        let sent = SENT_TYPES.contains(&kind.as_str()) || matches!(kind.as_str(), "checkbox" | "radio") && checked;
        if sent {
            self.fields.push((name.to_string(), value.unwrap_or_default().to_string()));
        }
    }

    /// The field that numbers the pages, if the form has one.
    fn page_field(&self) -> Option<usize> {
        self.fields.iter().position(|(n, _)| PAGE_FIELDS.contains(&n.to_ascii_lowercase().as_str()))
    }
}

/// Whether `__doPostBack(target, argument)` with this link text turns a
/// list's page: the argument names a page (`3`, `Page$3`, `Page$Next`) and
/// the control is a pager by its name or its text.
pub(crate) fn is_pager(target: &str, argument: &str, text: &str) -> bool {
    let arg = argument.trim();
    let names_page = arg.parse::<u32>().is_ok()
        || arg
            .strip_prefix("Page$")
            .is_some_and(|p| p.parse::<u32>().is_ok() || ["Next", "Prev", "First", "Last"].contains(&p));
    let text = text.trim().to_lowercase();
    let pager_text = text.parse::<u32>().is_ok() || PAGER_TEXTS.contains(&text.as_str());
    names_page && (target.to_ascii_lowercase().contains("pag") || pager_text)
}

/// The postback of `form` for `__doPostBack(target, argument)`: the form's
/// fields with `__EVENTTARGET` and `__EVENTARGUMENT` set, as the browser's
/// script sends it. `None` for a login form.
pub(crate) fn postback(form: &Form, target: &str, argument: &str) -> Option<Post> {
    if form.password {
        return None;
    }
    let mut fields = form.fields.clone();
    for (name, value) in [("__EVENTTARGET", target), ("__EVENTARGUMENT", argument)] {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_string(),
            None => fields.push((name.to_string(), value.to_string())),
        }
    }
    let selects = encode(&[("__EVENTTARGET".into(), target.into()), ("__EVENTARGUMENT".into(), argument.into())]);
    Some(Post { body: encode(&fields), selects })
}

/// `goPage(n)` on `form`: its fields with the page field set to `n`. For a
/// `GET` form, the query to add to its action instead of a body.
pub(crate) fn page_call(form: &Form, page: u32) -> Option<Submission> {
    if form.password {
        return None;
    }
    let at = form.page_field()?;
    let mut fields = form.fields.clone();
    fields[at].1 = page.to_string();
    let selects = encode(&fields[at..=at]);
    Some(if form.post {
        Submission::Post(Post { body: encode(&fields), selects })
    } else {
        Submission::Query(encode(&fields))
    })
}

/// How a form goes to its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Submission {
    Post(Post),
    /// A `GET` form: an ordinary address, its fields as the query.
    Query(String),
}

/// The first form whose fields number pages (a `goPage` link outside any form uses it).
pub(crate) fn paging_form(forms: &[Form]) -> Option<usize> {
    forms.iter().position(|f| !f.password && f.page_field().is_some())
}

fn encode(fields: &[(String, String)]) -> String {
    Serializer::new(String::new()).extend_pairs(fields).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aspnet() -> Form {
        let mut f = Form { action: Some("./list.aspx".into()), post: true, ..Form::default() };
        f.input(Some("hidden"), Some("__EVENTTARGET"), Some(""), false);
        f.input(Some("hidden"), Some("__EVENTARGUMENT"), Some(""), false);
        f.input(Some("hidden"), Some("__VIEWSTATE"), Some("/wEPDwUK+x=="), false);
        f.input(Some("text"), Some("txtKey"), None, false);
        f.input(Some("submit"), Some("btnSearch"), Some("搜索"), false);
        f.input(Some("checkbox"), Some("opt"), Some("1"), false);
        f.input(Some("hidden"), Some("__EVENTVALIDATION"), Some("/wEWAg"), false);
        f
    }

    #[test]
    fn a_postback_sends_the_form_as_a_browser_does() {
        let post = postback(&aspnet(), "MoreInfoList1$Pager", "3").unwrap();
        assert_eq!(
            post.body,
            "__EVENTTARGET=MoreInfoList1%24Pager&__EVENTARGUMENT=3&__VIEWSTATE=%2FwEPDwUK%2Bx%3D%3D&txtKey=&__EVENTVALIDATION=%2FwEWAg"
        );
        assert_eq!(post.selects, "__EVENTTARGET=MoreInfoList1%24Pager&__EVENTARGUMENT=3");
    }

    #[test]
    fn only_pagers_are_sent() {
        assert!(is_pager("MoreInfoList1$Pager", "3", "3"));
        assert!(is_pager("AspNetPager1", "2", "下一页"));
        assert!(is_pager("GridView1", "Page$2", "2"));
        assert!(!is_pager("btnSearch", "", "搜索"), "a search button");
        assert!(!is_pager("lnkDelete", "5", "删除"), "a number that is no page");
        assert!(!is_pager("btnComment", "", "发表评论"));
        let mut login = aspnet();
        login.input(Some("password"), Some("pwd"), None, false);
        assert!(postback(&login, "Pager", "2").is_none(), "a login form is never sent");
    }

    #[test]
    fn go_page_sets_the_page_field() {
        let mut f = Form { action: Some("list.jsp".into()), post: true, ..Form::default() };
        f.input(Some("hidden"), Some("channelId"), Some("12"), false);
        f.input(Some("hidden"), Some("pageNo"), Some("1"), false);
        assert_eq!(
            page_call(&f, 3),
            Some(Submission::Post(Post { body: "channelId=12&pageNo=3".into(), selects: "pageNo=3".into() }))
        );
        f.post = false;
        assert_eq!(page_call(&f, 4), Some(Submission::Query("channelId=12&pageNo=4".into())));
        assert!(page_call(&Form::default(), 2).is_none(), "no page field, nothing to send");
        assert_eq!(paging_form(&[Form::default(), f]), Some(1));
    }
}
