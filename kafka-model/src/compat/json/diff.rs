//! The comparison itself: Confluent's JSON Schema `SchemaDiff`, rule for rule.

// Over 800 lines: a rule-for-rule reading of Confluent's `SchemaDiff`, kept in Confluent's order so
// the two read side by side.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::super::java_order::{order, union_order};
use super::model::{Arena, ArrayNode, Criterion, Kind, NodeId, ObjectNode};
use super::{ChangeType, Difference, Policy};

type Pair = (NodeId, NodeId);

/// State shared by every context of one comparison: the memo of compared pairs, the pairs on
/// the stack (a pair met again while on the stack is a recursive cycle, assumed compatible),
/// and the pairs a previous pass found incompatible.
struct Shared<'a> {
    arena: &'a Arena,
    policy: Policy,
    memo: HashMap<Pair, Vec<Difference>>,
    in_progress: HashSet<Pair>,
    seed: HashMap<Pair, Vec<Difference>>,
    optimistic: bool,
}

/// A path and the differences found under it.
#[derive(Default)]
struct Ctx {
    path: Vec<String>,
    diffs: Vec<Difference>,
}

impl Ctx {
    fn sub(&self) -> Ctx {
        Ctx {
            path: self.path.clone(),
            diffs: Vec::new(),
        }
    }

    fn path_string(&self) -> String {
        format!("#/{}", self.path.join("/"))
    }

    fn add(&mut self, change: ChangeType) {
        let path = self.path_string();
        self.diffs.push(Difference { change, path });
    }

    fn add_at(&mut self, attribute: &str, change: ChangeType) {
        self.path.push(attribute.to_owned());
        self.add(change);
        self.path.pop();
    }

    fn enter(&mut self, segment: impl Into<String>) {
        self.path.push(segment.into());
    }

    fn leave(&mut self) {
        self.path.pop();
    }
}

fn compatible(policy: Policy, diffs: &[Difference]) -> bool {
    diffs.iter().all(|d| d.change.is_compatible_under(policy))
}

/// Every difference from `original` to `update` (both roots in `arena`).
pub(super) fn compare_roots(
    arena: &Arena,
    policy: Policy,
    original: NodeId,
    update: NodeId,
) -> Vec<Difference> {
    let mut seed: HashMap<Pair, Vec<Difference>> = HashMap::new();
    loop {
        let mut sh = Shared {
            arena,
            policy,
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            seed: std::mem::take(&mut seed),
            optimistic: false,
        };
        let mut ctx = Ctx::default();
        compare(&mut sh, &mut ctx, Some(original), Some(update));
        let incompatible: HashMap<Pair, Vec<Difference>> = sh
            .memo
            .iter()
            .filter(|(_, d)| !compatible(policy, d))
            .map(|(k, d)| (*k, d.clone()))
            .collect();
        let same = incompatible.len() == sh.seed.len()
            && incompatible.keys().all(|k| sh.seed.contains_key(k));
        if !sh.optimistic || same {
            return ctx.diffs;
        }
        seed = incompatible;
    }
}

fn compare(sh: &mut Shared, ctx: &mut Ctx, original: Option<NodeId>, update: Option<NodeId>) {
    let (original, update) = match (original, update) {
        (None, None) => return,
        (None, Some(_)) => return ctx.add(ChangeType::SchemaAdded),
        (Some(_), None) => return ctx.add(ChangeType::SchemaRemoved),
        (Some(o), Some(u)) => (sh.arena.normalize(o), sh.arena.normalize(u)),
    };
    let key = (original, update);
    let diffs = if let Some(cached) = sh.memo.get(&key) {
        cached.clone()
    } else if !sh.in_progress.insert(key) {
        if let Some(seeded) = sh.seed.get(&key) {
            seeded.clone()
        } else {
            sh.optimistic = true;
            Vec::new()
        }
    } else {
        let mut sub = Ctx::default();
        compare_types(sh, &mut sub, original, update);
        sh.in_progress.remove(&key);
        sh.memo.insert(key, sub.diffs.clone());
        sub.diffs
    };
    // The pair's differences are relative to it: rebase them onto the current path.
    if ctx.path.is_empty() {
        ctx.diffs.extend(diffs);
    } else {
        let prefix = ctx.path_string();
        ctx.diffs.extend(diffs.into_iter().map(|d| {
            let path = if d.path.len() <= 2 {
                prefix.clone()
            } else {
                format!("{prefix}/{}", &d.path[2..])
            };
            Difference {
                change: d.change,
                path,
            }
        }));
    }
}

fn combined(arena: &Arena, id: NodeId) -> Option<(Criterion, &[NodeId])> {
    match &arena.nodes[id].kind {
        Kind::Combined {
            criterion,
            subschemas,
        } => Some((*criterion, subschemas)),
        _ => None,
    }
}

fn compare_types(sh: &mut Shared, ctx: &mut Ctx, original: NodeId, update: NodeId) {
    let arena = sh.arena;
    let policy = sh.policy;
    let o_comb = combined(arena, original);
    let u_comb = combined(arena, update);
    match (o_comb, u_comb) {
        (None, Some((criterion, subs))) => {
            if subs.len() == 1 {
                let mut sub = ctx.sub();
                compare(sh, &mut sub, Some(original), Some(subs[0]));
                if compatible(policy, &sub.diffs) {
                    ctx.diffs.extend(sub.diffs);
                    return;
                }
            } else if matches!(criterion, Criterion::AnyOf | Criterion::OneOf) {
                for &s in subs {
                    let mut sub = ctx.sub();
                    compare(sh, &mut sub, Some(original), Some(s));
                    if compatible(policy, &sub.diffs) {
                        ctx.diffs.extend(sub.diffs);
                        ctx.add(ChangeType::SumTypeExtended);
                        return;
                    }
                }
            }
        }
        (Some((criterion, subs)), None) => {
            if subs.len() == 1 {
                let mut sub = ctx.sub();
                compare(sh, &mut sub, Some(subs[0]), Some(update));
                if compatible(policy, &sub.diffs) {
                    ctx.diffs.extend(sub.diffs);
                    return;
                }
            } else if criterion == Criterion::AllOf {
                for &s in subs {
                    let mut sub = ctx.sub();
                    compare(sh, &mut sub, Some(s), Some(update));
                    if compatible(policy, &sub.diffs) {
                        ctx.diffs.extend(sub.diffs);
                        ctx.add(ChangeType::ProductTypeNarrowed);
                        return;
                    }
                }
            }
        }
        _ => {}
    }

    let o = &arena.nodes[original];
    let u = &arena.nodes[update];
    if o.kind.class() != u.kind.class() {
        if matches!(o.kind, Kind::False) || u.is_empty_schema() {
            return;
        }
        // Kafka Connect's bytes may be rendered two ways; Confluent treats them as one.
        if o.connect_type.as_deref() == Some("bytes") && u.connect_type.as_deref() == Some("bytes")
        {
            return;
        }
        return ctx.add(ChangeType::TypeChanged);
    }
    if o.id != u.id {
        ctx.add(ChangeType::IdChanged);
    }
    if o.title != u.title {
        ctx.add(ChangeType::TitleChanged);
    }
    if o.description != u.description {
        ctx.add(ChangeType::DescriptionChanged);
    }
    if o.default != u.default {
        ctx.add(ChangeType::DefaultChanged);
    }
    match (&o.kind, &u.kind) {
        (
            Kind::String {
                max_length: o_max,
                min_length: o_min,
                pattern: o_pat,
            },
            Kind::String {
                max_length: u_max,
                min_length: u_min,
                pattern: u_pat,
            },
        ) => {
            use ChangeType::*;
            bound(
                ctx,
                "maxLength",
                *o_max,
                *u_max,
                [
                    MaxLengthAdded,
                    MaxLengthRemoved,
                    MaxLengthIncreased,
                    MaxLengthDecreased,
                ],
            );
            bound(
                ctx,
                "minLength",
                *o_min,
                *u_min,
                [
                    MinLengthAdded,
                    MinLengthRemoved,
                    MinLengthIncreased,
                    MinLengthDecreased,
                ],
            );
            match (o_pat, u_pat) {
                (None, Some(_)) => ctx.add_at("pattern", PatternAdded),
                (Some(_), None) => ctx.add_at("pattern", PatternRemoved),
                (Some(a), Some(b)) if a != b => ctx.add_at("pattern", PatternChanged),
                _ => {}
            }
        }
        (
            Kind::Number {
                maximum: o_max,
                minimum: o_min,
                exclusive_maximum: o_xmax,
                exclusive_minimum: o_xmin,
                multiple_of: o_mul,
                integer: o_int,
            },
            Kind::Number {
                maximum: u_max,
                minimum: u_min,
                exclusive_maximum: u_xmax,
                exclusive_minimum: u_xmin,
                multiple_of: u_mul,
                integer: u_int,
            },
        ) => {
            use ChangeType::*;
            bound(
                ctx,
                "maximum",
                *o_max,
                *u_max,
                [
                    MaximumAdded,
                    MaximumRemoved,
                    MaximumIncreased,
                    MaximumDecreased,
                ],
            );
            bound(
                ctx,
                "minimum",
                *o_min,
                *u_min,
                [
                    MinimumAdded,
                    MinimumRemoved,
                    MinimumIncreased,
                    MinimumDecreased,
                ],
            );
            bound(
                ctx,
                "exclusiveMaximum",
                *o_xmax,
                *u_xmax,
                [
                    ExclusiveMaximumAdded,
                    ExclusiveMaximumRemoved,
                    ExclusiveMaximumIncreased,
                    ExclusiveMaximumDecreased,
                ],
            );
            bound(
                ctx,
                "exclusiveMinimum",
                *o_xmin,
                *u_xmin,
                [
                    ExclusiveMinimumAdded,
                    ExclusiveMinimumRemoved,
                    ExclusiveMinimumIncreased,
                    ExclusiveMinimumDecreased,
                ],
            );
            multiple_of(ctx, o_mul.as_ref(), u_mul.as_ref());
            if o_int != u_int {
                ctx.add(if *o_int { TypeExtended } else { TypeNarrowed });
            }
        }
        (Kind::Const(a), Kind::Const(b)) if a != b => {
            ctx.add_at("const", ChangeType::EnumArrayChanged);
        }
        (Kind::Enum(a), Kind::Enum(b)) => {
            let contains_all = |set: &[Value], of: &[Value]| of.iter().all(|v| set.contains(v));
            if !(contains_all(a, b) && contains_all(b, a)) {
                if contains_all(b, a) {
                    ctx.add_at("enum", ChangeType::EnumArrayExtended);
                } else if contains_all(a, b) {
                    ctx.add_at("enum", ChangeType::EnumArrayNarrowed);
                } else {
                    ctx.add_at("enum", ChangeType::EnumArrayChanged);
                }
            }
        }
        (
            Kind::Combined {
                criterion: oc,
                subschemas: os,
            },
            Kind::Combined {
                criterion: uc,
                subschemas: us,
            },
        ) => compare_combined(sh, ctx, (*oc, os), (*uc, us)),
        (Kind::Not(a), Kind::Not(b)) => {
            ctx.enter("not");
            let mut sub = ctx.sub();
            // A narrower excluded schema accepts more: compare the other way round.
            compare(sh, &mut sub, Some(*b), Some(*a));
            if compatible(policy, &sub.diffs) {
                ctx.add(ChangeType::NotTypeNarrowed);
            } else {
                ctx.add(ChangeType::NotTypeExtended);
            }
            ctx.leave();
        }
        (Kind::Object(a), Kind::Object(b)) => compare_objects(sh, ctx, a, b),
        (Kind::Array(a), Kind::Array(b)) => compare_arrays(sh, ctx, a, b),
        _ => {}
    }
}

/// A numeric keyword: added, removed, increased or decreased (in that order of `kinds`).
fn bound<T: PartialOrd + Copy>(
    ctx: &mut Ctx,
    keyword: &str,
    original: Option<T>,
    update: Option<T>,
    kinds: [ChangeType; 4],
) {
    let [added, removed, increased, decreased] = kinds;
    match (original, update) {
        (None, Some(_)) => ctx.add_at(keyword, added),
        (Some(_), None) => ctx.add_at(keyword, removed),
        (Some(a), Some(b)) if a < b => ctx.add_at(keyword, increased),
        (Some(a), Some(b)) if a > b => ctx.add_at(keyword, decreased),
        _ => {}
    }
}

/// An exact decimal: `digits × 10^-scale`.
fn decimal(n: &serde_json::Number) -> Option<(i128, u32)> {
    let text = n.to_string();
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text.as_str(), 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: i128 = format!("{int}{frac}").parse().ok()?;
    let scale = i32::try_from(frac.len()).ok()? - exponent;
    if scale >= 0 {
        Some((digits, u32::try_from(scale).ok()?))
    } else {
        let factor = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
        Some((digits.checked_mul(factor)?, 0))
    }
}

/// Both at one scale.
fn aligned(a: (i128, u32), b: (i128, u32)) -> Option<(i128, i128)> {
    let scale = a.1.max(b.1);
    let up = |(d, s): (i128, u32)| d.checked_mul(10i128.checked_pow(scale - s)?);
    Some((up(a)?, up(b)?))
}

fn multiple_of(
    ctx: &mut Ctx,
    original: Option<&serde_json::Number>,
    update: Option<&serde_json::Number>,
) {
    use ChangeType::*;
    let (o, u) = match (original, update) {
        (None, None) => return,
        (None, Some(_)) => return ctx.add_at("multipleOf", MultipleOfAdded),
        (Some(_), None) => return ctx.add_at("multipleOf", MultipleOfRemoved),
        (Some(o), Some(u)) => (o, u),
    };
    let Some((o, u)) = decimal(o).zip(decimal(u)).and_then(|(o, u)| aligned(o, u)) else {
        // Beyond 38 digits: compare as floating point.
        let (o, u) = (o.as_f64().unwrap_or(0.0), u.as_f64().unwrap_or(0.0));
        if o != u {
            ctx.add_at("multipleOf", MultipleOfChanged);
        }
        return;
    };
    if o == u {
        return;
    }
    let change = if o != 0 && u % o == 0 {
        MultipleOfExpanded
    } else if u != 0 && o % u == 0 {
        MultipleOfReduced
    } else {
        MultipleOfChanged
    };
    ctx.add_at("multipleOf", change);
}

fn compare_combined(
    sh: &mut Shared,
    ctx: &mut Ctx,
    (oc, os): (Criterion, &[NodeId]),
    (uc, us): (Criterion, &[NodeId]),
) {
    let arena = sh.arena;
    let policy = sh.policy;
    let (o_single, u_single) = (os.len() == 1, us.len() == 1);
    if oc != uc {
        let extended = uc == Criterion::AnyOf
            || (o_single && u_single)
            || (o_single && uc == Criterion::OneOf)
            || (u_single && oc == Criterion::AllOf);
        if !extended {
            return ctx.add(ChangeType::CombinedTypeChanged);
        }
        ctx.add(ChangeType::CombinedTypeExtended);
    }
    // Branches written twice count once.
    let dedup = |ids: &[NodeId]| {
        let mut out: Vec<NodeId> = Vec::new();
        for &id in ids {
            if !out
                .iter()
                .any(|&k| arena.nodes[k].raw == arena.nodes[id].raw)
            {
                out.push(id);
            }
        }
        out
    };
    let (os, us) = (dedup(os), dedup(us));
    if os.len() < us.len() {
        ctx.add(if uc == Criterion::AllOf {
            ChangeType::ProductTypeExtended
        } else {
            ChangeType::SumTypeExtended
        });
    } else if os.len() > us.len() {
        ctx.add(if oc == Criterion::AllOf {
            ChangeType::ProductTypeNarrowed
        } else {
            ChangeType::SumTypeNarrowed
        });
    }
    // Which original branch each update branch can stand for, and at what differences.
    let mut edges: Vec<Vec<Option<Vec<Difference>>>> = Vec::with_capacity(os.len());
    for (i, &o) in os.iter().enumerate() {
        ctx.enter(format!("{}/{i}", oc.keyword()));
        let mut row = Vec::with_capacity(us.len());
        for &u in &us {
            let mut sub = ctx.sub();
            compare(sh, &mut sub, Some(o), Some(u));
            row.push(compatible(policy, &sub.diffs).then_some(sub.diffs));
        }
        ctx.leave();
        edges.push(row);
    }
    let matched = max_matching(&edges, us.len());
    let mut size = 0;
    for (i, m) in matched.iter().enumerate() {
        if let Some(j) = m {
            size += 1;
            if let Some(diffs) = &edges[i][*j] {
                ctx.diffs.extend(diffs.iter().cloned());
            }
        }
    }
    if size < os.len().min(us.len()) {
        ctx.add(ChangeType::CombinedTypeSubschemasChanged);
    }
}

/// A maximum bipartite matching (augmenting paths): for each original branch, its update
/// branch.
fn max_matching<T>(edges: &[Vec<Option<T>>], right: usize) -> Vec<Option<usize>> {
    fn augment<T>(
        i: usize,
        edges: &[Vec<Option<T>>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for j in 0..seen.len() {
            if edges[i][j].is_some() && !seen[j] {
                seen[j] = true;
                if owner[j].is_none_or(|k| augment(k, edges, seen, owner)) {
                    owner[j] = Some(i);
                    return true;
                }
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; right];
    for i in 0..edges.len() {
        let mut seen = vec![false; right];
        augment(i, edges, &mut seen, &mut owner);
    }
    let mut matched = vec![None; edges.len()];
    for (j, o) in owner.iter().enumerate() {
        if let Some(i) = o {
            matched[*i] = Some(j);
        }
    }
    matched
}

fn open_object(arena: &Arena, o: &ObjectNode) -> bool {
    !o.additional_forbidden
        && o.additional_schema.is_none()
        && o.pattern_properties.is_empty()
        && o.unevaluated
            .is_none_or(|u| arena.nodes[u].is_empty_schema())
}

/// The schema a partially open object gives an unlisted property.
fn partial_object_schema(arena: &Arena, o: &ObjectNode, name: &str) -> Option<NodeId> {
    if let Some((_, id)) = o
        .pattern_properties
        .iter()
        .find(|(re, _)| re.is_match(name))
    {
        return Some(*id);
    }
    if o.additional_schema.is_some() {
        return o.additional_schema;
    }
    if !o.additional_forbidden {
        if let Some(u) = o.unevaluated {
            let n = &arena.nodes[u];
            if !matches!(n.kind, Kind::False) && !n.is_empty_schema() {
                return Some(u);
            }
        }
    }
    None
}

fn has_default(arena: &Arena, id: NodeId) -> bool {
    arena.nodes[id].default.is_some()
}

fn names<T>(list: &[(String, T)]) -> Vec<String> {
    list.iter().map(|(n, _)| n.clone()).collect()
}

fn compare_objects(sh: &mut Shared, ctx: &mut Ctx, o: &ObjectNode, u: &ObjectNode) {
    use ChangeType::*;
    let arena = sh.arena;
    let policy = sh.policy;

    ctx.enter("required");
    for name in order(&names(&o.properties), 16) {
        if let Some(prop) = u.property(&name) {
            let (was, is) = (o.required.contains(&name), u.required.contains(&name));
            if was && !is {
                ctx.add_at(&name, RequiredAttributeRemoved);
            } else if !was && is {
                ctx.add_at(
                    &name,
                    if has_default(arena, prop) {
                        RequiredAttributeWithDefaultAdded
                    } else {
                        RequiredAttributeAdded
                    },
                );
            }
        }
    }
    ctx.leave();

    ctx.enter("properties");
    for name in union_order(&names(&o.properties), &names(&u.properties)) {
        ctx.enter(name.clone());
        match (o.property(&name), u.property(&name)) {
            (Some(op), None) => {
                // Only the update's content model says whether a property may go.
                if open_object(arena, u) {
                    ctx.add(PropertyRemovedFromOpenContentModel);
                } else if let Some(partial) = partial_object_schema(arena, u, &name) {
                    let mut sub = ctx.sub();
                    compare(sh, &mut sub, Some(op), Some(partial));
                    let ok = compatible(policy, &sub.diffs);
                    ctx.diffs.extend(sub.diffs);
                    ctx.add(if ok {
                        PropertyRemovedIsCoveredByPartiallyOpenContentModel
                    } else {
                        PropertyRemovedNotCoveredByPartiallyOpenContentModel
                    });
                } else if matches!(arena.nodes[op].kind, Kind::False) {
                    ctx.add(PropertyWithFalseRemovedFromClosedContentModel);
                } else {
                    ctx.add(PropertyRemovedFromClosedContentModel);
                }
            }
            (None, Some(up)) => {
                // Only the original's content model says whether a property may come.
                let required = u.required.contains(&name);
                if open_object(arena, o) {
                    ctx.add(if arena.nodes[up].is_empty_schema() {
                        PropertyWithEmptySchemaAddedToOpenContentModel
                    } else if required && has_default(arena, up) {
                        RequiredPropertyWithDefaultAddedToOpenContentModel
                    } else if required {
                        RequiredPropertyAddedToOpenContentModel
                    } else {
                        OptionalPropertyAddedToOpenContentModel
                    });
                } else {
                    if let Some(partial) = partial_object_schema(arena, o, &name) {
                        let mut sub = ctx.sub();
                        compare(sh, &mut sub, Some(partial), Some(up));
                        let ok = compatible(policy, &sub.diffs);
                        ctx.diffs.extend(sub.diffs);
                        ctx.add(if ok {
                            PropertyAddedIsCoveredByPartiallyOpenContentModel
                        } else {
                            PropertyAddedNotCoveredByPartiallyOpenContentModel
                        });
                    }
                    ctx.add(if required && has_default(arena, up) {
                        RequiredPropertyWithDefaultAddedToUnopenContentModel
                    } else if required {
                        RequiredPropertyAddedToUnopenContentModel
                    } else {
                        OptionalPropertyAddedToUnopenContentModel
                    });
                }
            }
            (Some(op), Some(up)) => compare(sh, ctx, Some(op), Some(up)),
            (None, None) => {}
        }
        ctx.leave();
    }
    ctx.leave();

    ctx.enter("dependencies");
    let keys = union_order(
        &names(&o.property_dependencies),
        &names(&u.property_dependencies),
    );
    for name in keys {
        let find = |l: &[(String, Vec<String>)]| {
            l.iter().find(|(n, _)| *n == name).map(|(_, d)| d.clone())
        };
        match (
            find(&o.property_dependencies),
            find(&u.property_dependencies),
        ) {
            (_, None) => ctx.add_at(&name, DependencyArrayRemoved),
            (None, Some(_)) => ctx.add_at(&name, DependencyArrayAdded),
            (Some(a), Some(b)) => {
                let all = |set: &[String], of: &[String]| of.iter().all(|v| set.contains(v));
                if !(all(&a, &b) && all(&b, &a)) {
                    ctx.add_at(
                        &name,
                        if all(&b, &a) {
                            DependencyArrayExtended
                        } else if all(&a, &b) {
                            DependencyArrayNarrowed
                        } else {
                            DependencyArrayChanged
                        },
                    );
                }
            }
        }
    }
    let keys = union_order(
        &names(&o.schema_dependencies),
        &names(&u.schema_dependencies),
    );
    for name in keys {
        let find = |l: &[(String, NodeId)]| l.iter().find(|(n, _)| *n == name).map(|(_, d)| *d);
        match (find(&o.schema_dependencies), find(&u.schema_dependencies)) {
            (_, None) => ctx.add_at(&name, DependencySchemaRemoved),
            (None, Some(_)) => ctx.add_at(&name, DependencySchemaAdded),
            (Some(a), Some(b)) => {
                ctx.enter(name.clone());
                compare(sh, ctx, Some(a), Some(b));
                ctx.leave();
            }
        }
    }
    ctx.leave();

    ctx.enter("additionalProperties");
    let (o_permits, u_permits) = (!o.additional_forbidden, !u.additional_forbidden);
    if o_permits != u_permits {
        ctx.add(if u_permits {
            AdditionalPropertiesAdded
        } else {
            AdditionalPropertiesRemoved
        });
    } else {
        match (o.additional_schema, u.additional_schema) {
            (None, Some(_)) => ctx.add(AdditionalPropertiesNarrowed),
            (Some(_), None) => ctx.add(AdditionalPropertiesExtended),
            (a, b) => compare(sh, ctx, a, b),
        }
    }
    ctx.leave();

    unevaluated(
        sh,
        ctx,
        "unevaluatedProperties",
        o.unevaluated,
        u.unevaluated,
        [
            UnevaluatedPropertiesAdded,
            UnevaluatedPropertiesRemoved,
            UnevaluatedPropertiesExtended,
            UnevaluatedPropertiesNarrowed,
        ],
    );

    bound(
        ctx,
        "maxProperties",
        o.max_properties,
        u.max_properties,
        [
            MaxPropertiesAdded,
            MaxPropertiesRemoved,
            MaxPropertiesIncreased,
            MaxPropertiesDecreased,
        ],
    );
    bound(
        ctx,
        "minProperties",
        o.min_properties,
        u.min_properties,
        [
            MinPropertiesAdded,
            MinPropertiesRemoved,
            MinPropertiesIncreased,
            MinPropertiesDecreased,
        ],
    );
}

/// `unevaluatedProperties` / `unevaluatedItems`; `kinds` = added, removed, extended, narrowed.
fn unevaluated(
    sh: &mut Shared,
    ctx: &mut Ctx,
    keyword: &str,
    original: Option<NodeId>,
    update: Option<NodeId>,
    kinds: [ChangeType; 4],
) {
    let [added, removed, extended, narrowed] = kinds;
    if original.is_none() && update.is_none() {
        return;
    }
    let arena = sh.arena;
    let is_false = |id: NodeId| matches!(arena.nodes[id].kind, Kind::False);
    let is_empty = |id: NodeId| arena.nodes[id].is_empty_schema();
    ctx.enter(keyword);
    match (original, update) {
        (None, Some(u)) => ctx.add(if is_false(u) { removed } else { narrowed }),
        (Some(o), None) => ctx.add(if is_false(o) { added } else { extended }),
        (Some(o), Some(u)) => {
            if is_false(o) && !is_false(u) {
                ctx.add(added);
            } else if !is_false(o) && is_false(u) {
                ctx.add(removed);
            } else if is_empty(o) && !is_empty(u) {
                ctx.add(narrowed);
            } else if !is_empty(o) && is_empty(u) {
                ctx.add(extended);
            } else {
                compare(sh, ctx, Some(o), Some(u));
            }
        }
        (None, None) => {}
    }
    ctx.leave();
}

fn open_array(arena: &Arena, a: &ArrayNode) -> bool {
    !a.additional_forbidden
        && a.additional_schema.is_none()
        && a.unevaluated
            .is_none_or(|u| arena.nodes[u].is_empty_schema())
}

fn partial_array_schema(arena: &Arena, a: &ArrayNode) -> Option<NodeId> {
    if a.additional_schema.is_some() {
        return a.additional_schema;
    }
    if !a.additional_forbidden {
        if let Some(u) = a.unevaluated {
            let n = &arena.nodes[u];
            if !matches!(n.kind, Kind::False) && !n.is_empty_schema() {
                return Some(u);
            }
        }
    }
    None
}

fn compare_arrays(sh: &mut Shared, ctx: &mut Ctx, o: &ArrayNode, u: &ArrayNode) {
    use ChangeType::*;
    let arena = sh.arena;
    let policy = sh.policy;

    ctx.enter("items");
    compare(sh, ctx, o.all_items, u.all_items);
    ctx.leave();

    let common = o.item_list.len().min(u.item_list.len());
    for i in 0..common {
        ctx.enter(format!("items/{i}"));
        compare(sh, ctx, Some(o.item_list[i]), Some(u.item_list[i]));
        ctx.leave();
    }
    for (i, &item) in o.item_list.iter().enumerate().skip(common) {
        ctx.enter(format!("items/{i}"));
        if open_array(arena, u) {
            ctx.add(ItemRemovedFromOpenContentModel);
        } else if let Some(partial) = partial_array_schema(arena, u) {
            let mut sub = ctx.sub();
            compare(sh, &mut sub, Some(item), Some(partial));
            let ok = compatible(policy, &sub.diffs);
            ctx.diffs.extend(sub.diffs);
            ctx.add(if ok {
                ItemRemovedIsCoveredByPartiallyOpenContentModel
            } else {
                ItemRemovedNotCoveredByPartiallyOpenContentModel
            });
        } else if matches!(arena.nodes[item].kind, Kind::False) {
            ctx.add(ItemWithFalseRemovedFromClosedContentModel);
        } else {
            ctx.add(ItemRemovedFromClosedContentModel);
        }
        ctx.leave();
    }
    for (i, &item) in u.item_list.iter().enumerate().skip(common) {
        ctx.enter(format!("items/{i}"));
        if open_array(arena, o) {
            ctx.add(if arena.nodes[item].is_empty_schema() {
                ItemWithEmptySchemaAddedToOpenContentModel
            } else {
                ItemAddedToOpenContentModel
            });
        } else if let Some(partial) = partial_array_schema(arena, o) {
            let mut sub = ctx.sub();
            compare(sh, &mut sub, Some(partial), Some(item));
            let ok = compatible(policy, &sub.diffs);
            ctx.diffs.extend(sub.diffs);
            ctx.add(if ok {
                ItemAddedIsCoveredByPartiallyOpenContentModel
            } else {
                ItemAddedNotCoveredByPartiallyOpenContentModel
            });
        } else {
            ctx.add(ItemAddedToClosedContentModel);
        }
        ctx.leave();
    }

    ctx.enter("additionalItems");
    let (o_permits, u_permits) = (!o.additional_forbidden, !u.additional_forbidden);
    if o_permits != u_permits {
        ctx.add(if o_permits {
            AdditionalItemsRemoved
        } else {
            AdditionalItemsAdded
        });
    } else {
        match (o.additional_schema, u.additional_schema) {
            (None, Some(_)) => ctx.add(AdditionalItemsNarrowed),
            (Some(_), None) => ctx.add(AdditionalItemsExtended),
            (a, b) => compare(sh, ctx, a, b),
        }
    }
    ctx.leave();

    unevaluated(
        sh,
        ctx,
        "unevaluatedItems",
        o.unevaluated,
        u.unevaluated,
        [
            UnevaluatedItemsAdded,
            UnevaluatedItemsRemoved,
            UnevaluatedItemsExtended,
            UnevaluatedItemsNarrowed,
        ],
    );

    bound(
        ctx,
        "maxItems",
        o.max_items,
        u.max_items,
        [
            MaxItemsAdded,
            MaxItemsRemoved,
            MaxItemsIncreased,
            MaxItemsDecreased,
        ],
    );
    bound(
        ctx,
        "minItems",
        o.min_items,
        u.min_items,
        [
            MinItemsAdded,
            MinItemsRemoved,
            MinItemsIncreased,
            MinItemsDecreased,
        ],
    );
    if o.unique_items != u.unique_items {
        ctx.add_at(
            "uniqueItems",
            if o.unique_items {
                UniqueItemsRemoved
            } else {
                UniqueItemsAdded
            },
        );
    }
    bound(
        ctx,
        "maxContains",
        o.max_contains,
        u.max_contains,
        [
            MaxContainsAdded,
            MaxContainsRemoved,
            MaxContainsIncreased,
            MaxContainsDecreased,
        ],
    );
    bound(
        ctx,
        "minContains",
        o.min_contains,
        u.min_contains,
        [
            MinContainsAdded,
            MinContainsRemoved,
            MinContainsIncreased,
            MinContainsDecreased,
        ],
    );
}
