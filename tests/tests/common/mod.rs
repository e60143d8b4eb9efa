pub mod corpus;
pub mod nested_crate;
pub mod tools;
pub mod upb;
