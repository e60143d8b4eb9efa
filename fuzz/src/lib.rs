//! Shared by the fuzz targets: the test corpus (every row of the type mapping and every derive
//! attribute, `tests/tests/common/corpus.rs`) and a dispatcher that picks one of its types from
//! a selector byte.

#[path = "../../tests/tests/common/corpus.rs"]
pub mod corpus;

/// Number of corpus types [`with_corpus_type!`] dispatches over.
pub const CORPUS_TYPES: u8 = 21;

/// `with_corpus_type!(selector, f, args..)` calls `f::<T>(args..)` for the corpus type chosen by
/// `selector % CORPUS_TYPES`.
#[macro_export]
macro_rules! with_corpus_type {
    ($sel:expr, $f:ident $(, $arg:expr)*) => {{
        use $crate::corpus::*;
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
            _ => $f::<Ledger>($($arg),*),
        }
    }};
}
