use super::*;

// --- canonical form and fingerprints ------------------------------------------------------

#[test]
fn rabin_matches_spec_test_data() {
    // apache/avro share/test/data/schema-tests.txt
    let cases: &[(&str, i64)] = &[
        (r#""null""#, 7195948357588979594),
        (r#""boolean""#, -6970731678124411036),
        (r#""int""#, 8247732601305521295),
        (r#""long""#, -3434872931120570953),
        (r#""float""#, 5583340709985441680),
        (r#""double""#, -8181574048448539266),
        (r#""bytes""#, 5746618253357095269),
        (r#""string""#, -8142146995180207161),
        (
            r#"{"name":"foo","type":"record","fields":[]}"#,
            -4824392279771201922,
        ),
        (
            r#"{"name":"foo","type":"fixed","size":15}"#,
            1756455273707447556,
        ),
        (
            r#"{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}"#,
            -1759257747318642341,
        ),
    ];
    for (text, fp) in cases {
        assert_eq!(rabin_fingerprint(text.as_bytes()), *fp as u64, "{text}");
    }
    assert_eq!(
        rabin_fingerprint(br#""int""#).to_le_bytes(),
        [0x8f, 0x5c, 0x39, 0x3f, 0x1a, 0xd5, 0x75, 0x72]
    );
}

#[test]
fn canonical_form_of_registry_schemas() {
    let cases: &[(&str, &str)] = &[
        (r#"{"type": "int"}"#, r#""int""#),
        (
            r#"{"type":"long","logicalType":"timestamp-millis"}"#,
            r#""long""#,
        ),
        (r#"[ "null" , "int" ]"#, r#"["null","int"]"#),
        (
            r#"{"fields":[], "type":"record", "name":"foo", "doc": "x"}"#,
            r#"{"name":"foo","type":"record","fields":[]}"#,
        ),
        (
            r#"{"type":"fixed","name":"x.y.foo","namespace":"ignored","size":"015"}"#,
            r#"{"name":"x.y.foo","type":"fixed","size":15}"#,
        ),
        (
            r#"{"type":"record","name":"a","namespace":"n","fields":[
                    {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"doc":"d"},"default":"A"},
                    {"name":"e2","type":"E"},
                    {"name":"o","type":{"type":"record","name":"O","namespace":"","fields":[{"name":"z","type":"n.E","order":"ignore"}]}},
                    {"name":"r","type":{"type":"map","values":{"type":"array","items":".O"}}}
                ]}"#,
            r#"{"name":"n.a","type":"record","fields":[{"name":"e","type":{"name":"n.E","type":"enum","symbols":["A","B"]}},{"name":"e2","type":"n.E"},{"name":"o","type":{"name":"O","type":"record","fields":[{"name":"z","type":"n.E"}]}},{"name":"r","type":{"type":"map","values":{"type":"array","items":"O"}}}]}"#,
        ),
    ];
    for (input, expected) in cases {
        let v: Value = serde_json::from_str(input).unwrap();
        assert_eq!(canonical_form(&v), *expected, "{input}");
    }
}

#[test]
fn canonical_form_agrees_with_apache_avro_without_logical_types() {
    let schemas = [
        r#""string""#,
        r#"{"type":"array","items":{"type":"map","values":"double"}}"#,
        r#"{"type":"record","name":"R","namespace":"a.b","doc":"x","aliases":["Q"],"fields":[
                {"name":"f","type":{"type":"fixed","name":"F","size":3},"default":"abc"},
                {"name":"g","type":["null","F",{"type":"enum","name":"E","namespace":"c","symbols":["X"]}]},
                {"name":"h","type":{"type":"array","items":"c.E"}},
                {"name":"i","type":{"type":"record","name":"I","fields":[{"name":"r","type":["null","a.b.R"]}]}}
            ]}"#,
    ];
    for text in schemas {
        let parsed = apache_avro::Schema::parse_str(text).unwrap();
        let ours = canonical_form(&serde_json::from_str(text).unwrap());
        assert_eq!(ours, parsed.canonical_form(), "{text}");
        assert_eq!(
            rabin_fingerprint(ours.as_bytes()).to_le_bytes().to_vec(),
            parsed.fingerprint::<Rabin>().bytes
        );
    }
}
