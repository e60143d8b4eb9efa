//! `kafka-model decode` and `kafka-model encode`: schema-driven payloads, no Rust type needed.

use std::io::Read;

use base64::Engine as _;
use std::path::{Path, PathBuf};

use kafka_model::wire::{
    Field, Frame, MessageIndexes, NoHeaders, OwnedHeaders, SchemaId, WireFormat, WireReader,
};
use serde_json::{json, Map, Value as Json};

use crate::{read, CliError, CodecArgs, DecodeArgs, EncodeArgs, PayloadFormat, WireArg};
use kafka_model::value::avro::AvroValueSchema;
use kafka_model::value::protobuf::{self, ProtoFile};

/// The schema a payload is read or written with.
enum Codec {
    /// Avro: the writer schema, and the reader schema when resolving.
    Avro {
        writer: AvroValueSchema,
        reader: Option<AvroValueSchema>,
    },
    /// Protobuf: the compiled file (the message is chosen per payload).
    Protobuf(ProtoFile),
    /// Plain JSON (the JSON Schema, if any, is not enforced).
    Json,
}

/// The format of a schema file, from `--format` or its extension.
pub fn format_of(
    schema: Option<&Path>,
    format: Option<PayloadFormat>,
) -> Result<PayloadFormat, CliError> {
    if let Some(f) = format {
        return Ok(f);
    }
    let Some(schema) = schema else {
        return Err(CliError::Usage(
            "give --schema FILE (or --format json for schemaless JSON)".into(),
        ));
    };
    let name = schema.to_string_lossy();
    if name.ends_with(".avsc") {
        Ok(PayloadFormat::Avro)
    } else if name.ends_with(".proto") {
        Ok(PayloadFormat::Protobuf)
    } else if name.ends_with(".json") {
        Ok(PayloadFormat::Json)
    } else {
        Err(CliError::Usage(format!(
            "{}: cannot tell the format from the extension (.avsc, .proto, .json); give --format",
            schema.display()
        )))
    }
}

fn load(
    args: &CodecArgs,
    reader_schema: Option<&Path>,
) -> Result<(PayloadFormat, Codec), CliError> {
    let format = format_of(args.schema.as_deref(), args.format)?;
    let codec = match format {
        PayloadFormat::Avro => {
            let Some(path) = &args.schema else {
                return Err(CliError::Usage("Avro needs --schema FILE.avsc".into()));
            };
            let writer = AvroValueSchema::parse(&read(path)?)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            let reader = match reader_schema {
                Some(p) => Some(
                    AvroValueSchema::parse(&read(p)?)
                        .map_err(|e| CliError::Usage(format!("{}: {e}", p.display())))?,
                ),
                None => None,
            };
            Codec::Avro { writer, reader }
        }
        PayloadFormat::Protobuf => {
            let Some(path) = &args.schema else {
                return Err(CliError::Usage("Protobuf needs --schema FILE.proto".into()));
            };
            Codec::Protobuf(
                ProtoFile::compile(path, &args.proto_path)
                    .map_err(|e| CliError::Usage(e.to_string()))?,
            )
        }
        PayloadFormat::Json => Codec::Json,
    };
    Ok((format, codec))
}

fn field(args: &CodecArgs) -> Field {
    if args.key {
        Field::Key
    } else {
        Field::Value
    }
}

/// Reads `{"header name": "hex of the value"}`.
fn read_headers(path: &Path) -> Result<OwnedHeaders, CliError> {
    let text = read(path)?;
    let json: Map<String, Json> = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{}: not a JSON object: {e}", path.display())))?;
    let mut out = OwnedHeaders::new();
    for (name, hex) in json {
        let Some(hex) = hex.as_str() else {
            return Err(CliError::Usage(format!(
                "{}: header {name}: expected a hex string",
                path.display()
            )));
        };
        let bytes = from_hex(hex).ok_or_else(|| {
            CliError::Usage(format!("{}: header {name}: invalid hex", path.display()))
        })?;
        out.push((name, bytes));
    }
    Ok(out)
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn data_err(e: impl std::fmt::Display) -> CliError {
    CliError::Data(e.to_string())
}

fn id_json(id: Option<SchemaId>) -> Json {
    match id {
        Some(SchemaId::Id(n)) => json!({ "schema_id": n }),
        Some(SchemaId::GlobalId(n)) => json!({ "global_id": n }),
        Some(SchemaId::ContentId(n)) => json!({ "content_id": n }),
        Some(SchemaId::Guid(g)) => json!({ "guid": g.to_string() }),
        Some(SchemaId::Fingerprint(f)) => json!({ "fingerprint": f }),
        Some(_) | None => Json::Null,
    }
}

/// Runs `decode`; prints the value.
pub fn decode(args: &DecodeArgs) -> Result<bool, CliError> {
    let (format, codec) = load(&args.codec, args.reader_schema.as_deref())?;
    let bytes = std::fs::read(&args.payload).map_err(|source| CliError::Read {
        path: args.payload.clone(),
        source,
    })?;
    let headers = match &args.headers {
        Some(p) => read_headers(p)?,
        None => OwnedHeaders::new(),
    };
    let field = field(&args.codec);
    let is_protobuf = format == PayloadFormat::Protobuf;
    let frame: Frame<'_> = match args.codec.wire {
        WireArg::Raw => Frame {
            wire: WireFormat::Raw,
            id: None,
            indexes: None,
            payload: &bytes,
        },
        WireArg::Confluent => WireReader::new(field)
            .message_indexes(is_protobuf)
            .use_headers(false)
            .parse(Some(&bytes), &NoHeaders)
            .map_err(data_err)?
            .ok_or_else(|| CliError::Data("empty payload".into()))?,
        WireArg::ApicurioHeaders => {
            let frame = WireReader::new(field)
                .parse(Some(&bytes), &headers)
                .map_err(data_err)?
                .ok_or_else(|| CliError::Data("empty payload".into()))?;
            if !matches!(frame.wire, WireFormat::ApicurioHeaders { .. }) {
                return Err(CliError::Data(format!(
                    "no apicurio.{}.globalId / contentId header (give --headers FILE.json)",
                    field.as_str()
                )));
            }
            frame
        }
    };
    let mut envelope = Map::new();
    let value = match &codec {
        Codec::Avro { writer, reader } => {
            let body = frame.payload;
            if frame.wire == WireFormat::Confluent && writer.is_plain_bytes() && reader.is_none() {
                Json::String(base64_encode(body))
            } else {
                match reader {
                    Some(reader) => reader.decode_from(writer, body).map_err(data_err)?,
                    None => writer.decode(body).map_err(data_err)?,
                }
            }
        }
        Codec::Protobuf(file) => {
            let desc = match (&args.codec.message, &frame.indexes) {
                (Some(name), _) => file.message(name),
                (None, Some(path)) => file.message_at(path.as_slice()),
                (None, None) => file.first_message(),
            }
            .map_err(data_err)?;
            envelope.insert("message_type".into(), json!(desc.full_name()));
            if let Some(path) = &frame.indexes {
                envelope.insert("message_indexes".into(), json!(path.as_slice()));
            }
            protobuf::decode(&desc, frame.payload).map_err(data_err)?
        }
        Codec::Json => serde_json::from_slice(frame.payload)
            .map_err(|e| CliError::Data(format!("invalid JSON payload: {e}")))?,
    };
    if args.json {
        envelope.insert("wire".into(), json!(frame.wire.name()));
        if let Json::Object(id) = id_json(frame.id) {
            envelope.extend(id);
        }
        envelope.insert("value".into(), value);
        print_json(&Json::Object(envelope), args.pretty);
    } else {
        print_json(&value, args.pretty);
    }
    Ok(true)
}

fn print_json(v: &Json, pretty: bool) {
    let text = if pretty {
        serde_json::to_string_pretty(v)
    } else {
        serde_json::to_string(v)
    };
    println!("{}", text.unwrap_or_else(|_| "null".into()));
}

fn base64_encode(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Runs `encode`; writes the payload (and the headers, for Apicurio) to files.
pub fn encode(args: &EncodeArgs) -> Result<bool, CliError> {
    let (_, codec) = load(&args.codec, None)?;
    let text = match &args.input {
        Some(p) => read(p)?,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|source| CliError::Read {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
            s
        }
    };
    let value: Json = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("the value is not JSON: {e}")))?;
    let field = field(&args.codec);
    let (body, indexes) = match &codec {
        Codec::Avro { writer, .. } => {
            let plain = writer.is_plain_bytes() && args.codec.wire == WireArg::Confluent;
            let body = if plain {
                let s = value.as_str().ok_or_else(|| {
                    CliError::Data("a \"bytes\" schema takes a base64 string".into())
                })?;
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map_err(|e| CliError::Data(format!("invalid base64: {e}")))?
            } else {
                writer.encode(&value).map_err(data_err)?
            };
            (body, None)
        }
        Codec::Protobuf(file) => {
            let desc = match &args.codec.message {
                Some(name) => file.message(name),
                None => file.first_message(),
            }
            .map_err(data_err)?;
            let path = MessageIndexes::new(protobuf::message_indexes(&desc)).map_err(data_err)?;
            (
                protobuf::encode(&desc, &value).map_err(data_err)?,
                Some(path),
            )
        }
        Codec::Json => (serde_json::to_vec(&value).map_err(data_err)?, None),
    };
    let mut out = Vec::with_capacity(body.len() + 16);
    let mut headers = OwnedHeaders::new();
    match args.codec.wire {
        WireArg::Raw => {}
        WireArg::Confluent => {
            let Some(id) = args.schema_id else {
                return Err(CliError::Usage(
                    "--wire confluent needs --schema-id N".into(),
                ));
            };
            WireFormat::Confluent
                .write_header(
                    field,
                    SchemaId::Id(id),
                    indexes.as_ref(),
                    &mut out,
                    &mut headers,
                )
                .map_err(data_err)?;
        }
        WireArg::ApicurioHeaders => {
            let id =
                match (args.global_id, args.content_id) {
                    (Some(g), None) => SchemaId::GlobalId(g),
                    (None, Some(c)) => SchemaId::ContentId(c),
                    _ => return Err(CliError::Usage(
                        "--wire apicurio-headers needs exactly one of --global-id, --content-id"
                            .into(),
                    )),
                };
            WireFormat::ApicurioHeaders { encoding: None }
                .write_header(field, id, None, &mut out, &mut headers)
                .map_err(data_err)?;
        }
    }
    out.extend_from_slice(&body);
    std::fs::write(&args.out, &out).map_err(|source| CliError::Read {
        path: args.out.clone(),
        source,
    })?;
    if let Some(path) = &args.headers_out {
        let map: Map<String, Json> = headers
            .iter()
            .map(|(n, v)| (n.clone(), Json::String(to_hex(v))))
            .collect();
        let text = serde_json::to_string_pretty(&Json::Object(map)).map_err(data_err)?;
        std::fs::write(path, text + "\n").map_err(|source| CliError::Read {
            path: path.clone(),
            source,
        })?;
    } else if !headers.is_empty() && !args.json {
        eprintln!(
            "note: this wire format carries the id in headers; give --headers-out FILE.json to keep them"
        );
    }
    if args.json {
        let headers: Map<String, Json> = headers
            .iter()
            .map(|(n, v)| (n.clone(), Json::String(to_hex(v))))
            .collect();
        let mut summary = Map::new();
        summary.insert("out".into(), json!(args.out.to_string_lossy()));
        summary.insert("bytes".into(), json!(out.len()));
        let wire = match args.codec.wire {
            WireArg::Raw => "raw",
            WireArg::Confluent => "confluent",
            WireArg::ApicurioHeaders => "apicurio-headers",
        };
        summary.insert("wire".into(), json!(wire));
        let id = match args.codec.wire {
            WireArg::Raw => None,
            WireArg::Confluent => args.schema_id.map(SchemaId::Id),
            WireArg::ApicurioHeaders => args
                .global_id
                .map(SchemaId::GlobalId)
                .or(args.content_id.map(SchemaId::ContentId)),
        };
        if let Json::Object(id) = id_json(id) {
            summary.extend(id);
        }
        if let Some(indexes) = &indexes {
            summary.insert("message_indexes".into(), json!(indexes.as_slice()));
        }
        summary.insert("headers".into(), Json::Object(headers));
        summary.insert("payload_hex".into(), json!(to_hex(&out)));
        print_json(&Json::Object(summary), false);
    } else {
        eprintln!("wrote {} byte(s) to {}", out.len(), args.out.display());
    }
    Ok(true)
}
