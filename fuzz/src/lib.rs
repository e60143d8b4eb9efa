//! Shared by the fuzz targets and by the stable-Rust mutation test
//! (`tests/tests/decoder_mutation.rs`, which includes this file): the test corpus (every row of
//! the type mapping and every derive attribute, `tests/tests/common/corpus.rs`), recursive
//! types, a dispatcher that picks one of them from a selector byte, and [`expand`], which lets a
//! short input stand for a deeply nested one.

use std::borrow::Cow;

#[path = "../../tests/tests/common/corpus.rs"]
pub mod corpus;

/// Recursive types besides the corpus's `TreeNode` (`Vec<Self>` and `Option<Box<Self>>`):
/// deep nesting must end in a typed error, never a stack overflow.
pub mod recursive {
    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    /// `Option<Box<Self>>` alone: two bytes per level in Avro.
    #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[record(namespace = "com.acme.fuzz")]
    pub struct Chain {
        pub id: i64,
        pub next: Option<Box<Chain>>,
    }

    /// Recursion through a union (an enum with data).
    #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[record(namespace = "com.acme.fuzz")]
    pub enum Expr {
        Lit { value: i64 },
        Neg { inner: Box<Expr> },
        Sum { terms: Vec<Expr> },
    }
}

/// Nested collections: lists, maps and `Option`s inside each other (Protobuf wrapper messages).
pub mod nested {
    use std::collections::BTreeMap;

    use kafka_model::Record;
    use serde::{Deserialize, Serialize};

    #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[record(namespace = "com.acme.fuzz")]
    pub struct Grid {
        pub rows: Vec<Vec<i64>>,
        pub maybe: Option<Vec<String>>,
        pub sparse: Vec<Option<i32>>,
        pub groups: BTreeMap<String, Vec<Option<Vec<u8>>>>,
        pub tables: Option<BTreeMap<String, BTreeMap<String, bool>>>,
    }
}

/// Number of types [`with_corpus_type!`] dispatches over.
pub const CORPUS_TYPES: u8 = 24;

/// Input that starts with `0xFE, n, len` stands for its next `len` bytes repeated `n * 64`
/// times, followed by the rest: how a fuzzer reaches deep nesting (`[0,0,2]` × 8,000) from a
/// few bytes. Other input is used as it is.
///
/// ```
/// # use kafka_model_fuzz::expand;
/// assert_eq!(&*expand(&[1, 2]), &[1, 2]);
/// assert_eq!(expand(&[0xFE, 1, 2, 7, 8, 9]).len(), 64 * 2 + 1);
/// ```
pub fn expand(data: &[u8]) -> Cow<'_, [u8]> {
    match data {
        [0xFE, n, len, rest @ ..] => {
            let len = usize::from(*len).min(rest.len());
            let (pattern, tail) = rest.split_at(len);
            let mut out = Vec::with_capacity(pattern.len() * usize::from(*n) * 64 + tail.len());
            for _ in 0..usize::from(*n) * 64 {
                out.extend_from_slice(pattern);
            }
            out.extend_from_slice(tail);
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(data),
    }
}

/// `with_corpus_type!(selector, f, args..)` calls `f::<T>(args..)` for the corpus type chosen by
/// `selector % CORPUS_TYPES`.
#[macro_export]
macro_rules! with_corpus_type {
    ($sel:expr, $f:ident $(, $arg:expr)*) => {{
        use $crate::corpus::*;
        use $crate::recursive::*;
        use $crate::nested::*;
        match $sel % $crate::CORPUS_TYPES {
            0 => $f::<Primitives>($($arg),*),
            1 => $f::<Binary>($($arg),*),
            2 => $f::<Customer>($($arg),*),
            3 => $f::<Item>($($arg),*),
            4 => $f::<OrderStatus>($($arg),*),
            5 => $f::<Order>($($arg),*),
            6 => $f::<Optionals>($($arg),*),
            7 => $f::<Collections>($($arg),*),
            8 => $f::<CardPayment>($($arg),*),
            9 => $f::<PaymentEvent>($($arg),*),
            10 => $f::<Command>($($arg),*),
            11 => $f::<Envelope>($($arg),*),
            12 => $f::<TreeNode>($($arg),*),
            13 => $f::<Logical>($($arg),*),
            14 => $f::<Encodings>($($arg),*),
            15 => $f::<Renamed>($($arg),*),
            16 => $f::<Settings>($($arg),*),
            17 => $f::<Strict>($($arg),*),
            18 => $f::<Priority>($($arg),*),
            19 => $f::<Plain>($($arg),*),
            20 => $f::<Ledger>($($arg),*),
            21 => $f::<Chain>($($arg),*),
            22 => $f::<Expr>($($arg),*),
            _ => $f::<Grid>($($arg),*),
        }
    }};
}
