//! Compile errors a user sees for each misuse of `#[derive(Record)]`, pinned by trybuild.
//! The toolchain is pinned in rust-toolchain.toml so the expected output stays stable;
//! `TRYBUILD=overwrite cargo test -p kafka-model-tests --test ui` rewrites the `.stderr` files.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
