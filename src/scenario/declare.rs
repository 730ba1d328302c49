//! `record!`: a record kind of the world, declared once.
//!
//! One invocation per record kind (in `records.rs`) lists each key once:
//! how its value is kept in the model, how it is decoded, and its table
//! entry (YAML type, presence, doc, what rules see of it). From that come
//! - the model struct (re-exported by `model`), one field per key plus
//!   `span` and any `extra` fields the file does not write;
//! - the record's table (`Record`), in the order written, with the fields
//!   only rules see (`derived`) in their places;
//! - `Parts`, the decoded keys of one record, and its `build` into the model
//!   value (`None` while a required key is missing): the hand-written
//!   decoder in `load` keeps only what concerns the record as a whole
//!   (periods, salvage of broken records, checks across keys);
//! - `key` and `key_span`, by which the evaluator reads every key that rules
//!   see as written (`types::Field::Key`), with no code of its own per key.
//!
//! An entry is `HOW name: Type = decoder => table entry;`, where `HOW` says
//! how the decoded value becomes the field: `req` (a required key: the
//! record is not built without it), `opt` (the field is the `Option` the
//! decoder gives), or `or(default)` (an absent key is `default`).

/// A value of a key as written, as rules read it (`eval::Value` is made from
/// it): ids as text, vocabularies as their words. A key whose value is not a
/// plain value (a list, an embedded record) is `Null` here: rules read those
/// through fields of their own (`types::Field`), never through `Field::Key`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plain<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Date(super::date::Date),
    Rank(super::model::Rank),
    MissionKind(super::model::MissionKind),
    Level(super::model::Level),
    StateKind(super::model::StateKind),
    RelationStatus(super::model::RelationStatus),
    EventKind(super::model::EventKind),
}

/// How a field of the model reads as a plain value.
pub trait ToPlain {
    fn plain(&self) -> Plain<'_>;
    /// Where the value was written, where the model keeps it.
    fn span_of(&self) -> Option<crate::source::Span> {
        None
    }
}

macro_rules! plain {
    ($($ty:ty => |$v:ident| $e:expr),+ $(,)?) => {
        $(impl ToPlain for $ty {
            fn plain(&self) -> Plain<'_> {
                let $v = self;
                $e
            }
        })+
    };
}

plain! {
    bool => |v| Plain::Bool(*v),
    u32 => |v| Plain::Num(f64::from(*v)),
    String => |v| Plain::Str(v),
    super::date::Date => |v| Plain::Date(*v),
    super::model::Rank => |v| Plain::Rank(*v),
    super::model::MissionKind => |v| Plain::MissionKind(*v),
    // An explicit non-recognition reads as no recognition (docs/rules.md).
    super::model::Level => |v| match v {
        super::model::Level::NoRecognition => Plain::Null,
        level => Plain::Level(*level),
    },
    super::model::StateKind => |v| Plain::StateKind(*v),
    super::model::RelationStatus => |v| Plain::RelationStatus(*v),
    super::model::EventKind => |v| Plain::EventKind(*v),
}

impl<T: ToPlain> ToPlain for super::model::At<T> {
    fn plain(&self) -> Plain<'_> {
        self.value.plain()
    }
    fn span_of(&self) -> Option<crate::source::Span> {
        Some(self.span)
    }
}

impl<T: ToPlain> ToPlain for Option<T> {
    fn plain(&self) -> Plain<'_> {
        self.as_ref().map_or(Plain::Null, T::plain)
    }
    fn span_of(&self) -> Option<crate::source::Span> {
        self.as_ref().and_then(T::span_of)
    }
}

/// Lists are read by fields of their own (a mission's `staff`, a
/// relation's `between`).
impl<T> ToPlain for Vec<T> {
    fn plain(&self) -> Plain<'_> {
        Plain::Null
    }
}

impl<T, const N: usize> ToPlain for [T; N] {
    fn plain(&self) -> Plain<'_> {
        Plain::Null
    }
}

/// The place of the key `yaml` in `keys`, evaluated at compile time (a
/// `record!` names only its own keys, so the assertion fails the build, never a run).
pub(crate) const fn position(keys: &[super::records::Key], yaml: &str) -> usize {
    let mut found = usize::MAX;
    let mut i = 0;
    while i < keys.len() {
        if let Some(name) = keys[i].yaml
            && same(name, yaml)
        {
            found = i;
            break;
        }
        i += 1;
    }
    assert!(found != usize::MAX, "no such key");
    found
}

/// `a == b`, in a const context.
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $Name:ident in $module:ident as $TABLE:ident {
            what: $what:expr, plural: $plural:expr, json: $json:expr $(,)?
        }
        $($body:tt)*
    ) => {
        record!(@munch [$(#[$meta])* $Name $module $TABLE [$what, $plural, $json]] [] [] [] $($body)*);
    };

    // A key of the file.
    (@munch $head:tt [$($table:tt)*] [$($stored:tt)*] $extra:tt
        $(#[$fmeta:meta])* $how:ident $(($default:expr))? $name:ident : $ty:ty = $decode:expr => $key:expr;
        $($rest:tt)*
    ) => {
        record!(@munch $head
            [$($table)* [key $name $key]]
            [$($stored)* [$(#[$fmeta])* $how [$($default)?] $name: $ty = $decode]]
            $extra
            $($rest)*);
    };

    // A field only rules see.
    (@munch $head:tt [$($table:tt)*] $stored:tt $extra:tt derived $key:expr; $($rest:tt)*) => {
        record!(@munch $head [$($table)* [derived $key]] $stored $extra $($rest)*);
    };

    // A field of the model that the file does not write.
    (@munch $head:tt $table:tt $stored:tt [$($extra:tt)*]
        $(#[$fmeta:meta])* extra $name:ident : $ty:ty = $init:expr;
        $($rest:tt)*
    ) => {
        record!(@munch $head $table $stored [$($extra)* [$(#[$fmeta])* $name: $ty = $init]] $($rest)*);
    };

    (@munch
        [$(#[$meta:meta])* $Name:ident $module:ident $TABLE:ident [$what:expr, $plural:expr, $json:expr]]
        [$($table:tt)*]
        [$([$(#[$fmeta:meta])* $how:ident [$($default:expr)?] $name:ident: $ty:ty = $decode:expr])*]
        [$([$(#[$xmeta:meta])* $xname:ident: $xty:ty = $init:expr])*]
    ) => {
        pub(crate) const $TABLE: Record = Record {
            what: $what,
            plural: $plural,
            json: $json,
            keys: $module::KEYS,
        };

        #[doc = concat!("`", stringify!($Name), "`, declared by `record!`.")]
        pub mod $module {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[derive(Debug, Clone, serde::Serialize)]
            pub struct $Name {
                $($(#[$fmeta])* pub $name: $ty,)*
                $($(#[$xmeta])* pub $xname: $xty,)*
                pub span: crate::source::Span,
            }

            /// Each key's place among the record's keys of the file.
            #[allow(non_camel_case_types, dead_code)]
            #[derive(Clone, Copy)]
            pub(crate) enum Pos {
                $($name,)*
            }

            pub(crate) const KEYS: &[Key] = &[$(record!(@entry $table)),*];

            /// The keys of one record as decoded, before it is built.
            pub(crate) struct Parts {
                $(pub $name: record!(@part $how $ty),)*
            }

            impl Parts {
                /// Decodes each key, in table order.
                pub(in crate::scenario) fn decode(cx: &mut Cx, f: &mut Fields) -> Parts {
                    Parts {
                        $($name: f.get_at(
                            cx,
                            const { $crate::scenario::declare::position(KEYS, stringify!($name)) },
                            stringify!($name),
                            $decode,
                        ),)*
                    }
                }

                /// The record, when every required key was decoded.
                pub(in crate::scenario) fn build(self, span: crate::source::Span) -> Option<$Name> {
                    let Parts { $($name),* } = self;
                    Some($Name {
                        $($name: record!(@finish $how [$($default)?] $name),)*
                        $($xname: $init,)*
                        span,
                    })
                }
            }

            impl $Name {
                /// The value of the key at `pos` as written (`Field::Key`), as
                /// `V` (the evaluator's `Value`): converted in each arm, so
                /// that the conversion folds into it. Always inlined: it is
                /// the evaluator's innermost read, and a call there cost a
                /// fifth of `Reader::read_own` (docs/performance.md).
                #[inline(always)]
                pub fn key<'v, V: From<$crate::scenario::declare::Plain<'v>>>(&'v self, pos: u8) -> V {
                    use $crate::scenario::declare::ToPlain;
                    $(if pos == Pos::$name as u8 {
                        return V::from(self.$name.plain());
                    })*
                    V::from($crate::scenario::declare::Plain::Null)
                }

                /// Where the value of the key at `pos` was written, where
                /// the model keeps it.
                pub fn key_span(&self, pos: u8) -> Option<crate::source::Span> {
                    use $crate::scenario::declare::ToPlain;
                    $(if pos == Pos::$name as u8 {
                        return self.$name.span_of();
                    })*
                    None
                }
            }
        }

        pub use $module::$Name;
    };

    (@entry [key $name:ident $key:expr]) => { $key.named(stringify!($name), Pos::$name as u8) };
    (@entry [derived $key:expr]) => { $key };

    (@part req $ty:ty) => { Option<$ty> };
    (@part opt $ty:ty) => { $ty };
    (@part or $ty:ty) => { Option<$ty> };

    (@finish req [] $v:ident) => { $v? };
    (@finish opt [] $v:ident) => { $v };
    (@finish or [$default:expr] $v:ident) => { $v.unwrap_or($default) };
}
