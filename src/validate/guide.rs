//! One guide file → a [`Guide`]: its lender and kind, its steps, sources
//! and worked examples, and its prose with the shortcodes it cites.

use super::*;
use crate::model::PolicyValue;

/// What the guides of one lender folder are checked against besides their
/// own files.
pub(super) struct Folder<'a> {
    pub slug: &'a str,
    /// Every lender folder's slug.
    pub lenders: &'a Lenders<'a>,
    /// The folder's lender's policies, which worked examples cite.
    pub policies: &'a [PolicyValue],
    /// The kinds the site has a letter for.
    pub letter_kinds: &'a [GuideKind],
    pub memo: Option<&'a Memo>,
    /// What the content files' shown paths start with.
    pub root: &'a str,
}

impl Folder<'_> {
    /// What a guide that validates reads of the folder, for serve's memo:
    /// its slug and letters, and its policies by what they are validated
    /// from, `parsed` (the folder's path under the content folder and its
    /// lender.yaml's text: hashing that is much cheaper than writing out
    /// the policies). The other
    /// lenders matter only to a guide naming a lender that does not exist,
    /// and that is an error, which the memo never keeps.
    pub fn key(&self, parsed: &ParsedLender<'_>) -> String {
        let dir = crate::load::under_root(parsed.root, &parsed.dir);
        let mut key = format!("{}\n{dir}\n{:?}\n", self.slug, self.letter_kinds);
        if let Some(text) = parsed.lender_text() {
            key.push_str("lender.yaml\n");
            key.push_str(text);
        }
        key
    }
}

/// [`guide`], remembered in the folder's memo when it has one (`serve`): a
/// guide whose file and `folder_key` ([`Folder::key`]) are unchanged since
/// an earlier rebuild is not validated again, and its warnings are
/// replayed.
pub(super) fn remembered(
    doc: &Doc<'_, RawGuide>,
    folder: &Folder<'_>,
    folder_key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Guide> {
    let Some(memo) = folder.memo else {
        return guide(doc, folder, diags);
    };
    let inputs: [&[u8]; 3] = [
        doc.file.as_bytes(),
        doc.source.as_bytes(),
        folder_key.as_bytes(),
    ];
    let made = memo.value(&inputs, || {
        let mut found = Vec::new();
        match guide(doc, folder, &mut found) {
            Some(guide) => Ok((guide, found)),
            None => Err(found),
        }
    });
    let (guide, found) = match made {
        Ok((guide, found)) => (Some(guide), found),
        Err(found) => (None, found),
    };
    diags.extend(found);
    guide
}

pub(super) fn guide(
    doc: &Doc<'_, RawGuide>,
    folder: &Folder<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Guide> {
    let Folder {
        lenders,
        policies,
        letter_kinds,
        memo,
        ..
    } = *folder;
    let before = diags.len();
    let slug = file_slug(doc, diags);
    let mut c = Checker::new(doc, diags).remembering(memo);
    let raw = &doc.value;
    let named = raw.lender.value.trim();
    if !lenders.contains(named) {
        c.error(
            "unknown-lender",
            &raw.lender,
            format!("no lender `{named}`"),
            unknown_lender_help(named, lenders),
        );
    } else if named != folder.slug {
        c.error(
            "wrong-folder",
            &raw.lender,
            format!(
                "this guide is in the `{}` folder but names lender `{named}`",
                folder.slug
            ),
            format!(
                "move it to content/lenders/{named}/ or change `lender` to `{}`",
                folder.slug
            ),
        );
    }
    let kind = c.one_of(&raw.kind, "guide kind", &GuideKind::NAMES, GuideKind::parse);
    if let Some(kind) = kind {
        reader::negotiation_guide(&mut c, &raw.kind, kind, &raw.say_first, letter_kinds);
    }
    let say_first = c.opt_text(&raw.say_first);
    let updated = c.date(&raw.updated);
    let materials = raw
        .materials
        .iter()
        .map(|m| c.text(m, "material"))
        .collect();
    let sources = raw.sources.iter().filter_map(|s| c.citation(s)).collect();
    c.unique(raw.examples.iter().map(|e| &e.id), "example id");
    let examples: Vec<Example> = raw
        .examples
        .iter()
        .filter_map(|e| examples::example(&mut c, e, policies))
        .collect();
    // Prose may only cite examples that exist (and, while an example has
    // errors, ids that were written, so one typo is not reported twice).
    let fields = |id: &str| match examples.iter().find(|e| e.id == id) {
        Some(e) => Cited::Fields(outputs::field_names(e.input.type_name(), e.options())),
        None if raw.examples.iter().any(|r| r.id.value.trim() == id) => Cited::Failed,
        None => Cited::Unknown,
    };
    let mut shortcodes = Vec::new();
    c.unique(raw.steps.iter().map(|s| &s.id), "step id");
    let steps: Vec<Step> = raw
        .steps
        .iter()
        .filter_map(|s| {
            let id = c.slug(&s.id, "step id");
            let title = c.text(&s.title, "step title");
            let origin = doc.text_origin(&s.body);
            let text =
                shortcode::extract(&s.body.value, &origin, &mut shortcodes, &fields, c.diags);
            let body = markdown::render_remembered(&text, &origin, c.diags, c.memo);
            Some(Step {
                id: id?,
                title,
                body,
                materials: s.materials.iter().map(|m| c.text(m, "material")).collect(),
                script: c.opt_text(&s.script),
                keep: c.opt_text(&s.keep),
            })
        })
        .collect();
    let title = c.text(&raw.title, "title");
    let summary = c.text(&raw.summary, "summary");
    let body = body(&mut c, &mut shortcodes, &fields);
    let guide = Guide {
        slug: slug?,
        lender: named.to_string(),
        kind: kind?,
        title,
        summary,
        say_first,
        updated: updated?,
        steps,
        materials,
        sources,
        examples,
        shortcodes,
        body,
        at: doc.start(),
    };
    (!diags[before..].iter().any(Diagnostic::is_error)).then_some(guide)
}
