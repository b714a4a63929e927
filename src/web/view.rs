//! Small view types the pages share, so that templates read named fields (`p.label`), never
//! tuple positions.

/// A label and its value (a definition list, a question and its answer).
#[derive(Clone, Debug)]
pub struct Prop {
    pub label: String,
    pub value: String,
}

/// (label, value) pairs as [`Prop`]s.
pub fn props<L: Into<String>, V: Into<String>>(
    pairs: impl IntoIterator<Item = (L, V)>,
) -> Vec<Prop> {
    pairs
        .into_iter()
        .map(|(l, v)| Prop {
            label: l.into(),
            value: v.into(),
        })
        .collect()
}

/// A link with a note beside it.
#[derive(Clone, Debug)]
pub struct LinkLine {
    pub url: String,
    pub title: String,
    pub note: String,
}
