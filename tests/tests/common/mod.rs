pub mod corpus;
pub mod tools;
