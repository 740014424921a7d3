//! The non-provision sections of a scenario file (`[scenario]`, `[time]`, `[conflict]`,
//! `[[party]]`, `[[membership]]`, `[[region]]`): their wire types and checked forms.

use super::{Ctx, Dim, ParamId, ScenarioError, SpannedParam};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ScenarioWire {
    scenario: MetaWire,
    time: TimeWire,
    conflict: Spanned<ConflictWire>,
    #[serde(default)]
    party: Vec<Spanned<PartyWire>>,
    #[serde(default)]
    membership: Vec<Spanned<MembershipWire>>,
    #[serde(default)]
    region: Vec<Spanned<RegionWire>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct MetaWire {
    name: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    agreement_date: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    source: Vec<SourceWire>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SourceWire {
    id: String,
    cite: String,
}

/// Name, title and sources of a scenario.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Short name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Date the agreement's text is from.
    pub agreement_date: String,
    /// Calendar date of day 0 of a run (the assumed signing).
    pub start_date: String,
    /// Works cited by parameters' `source` fields.
    pub sources: Vec<Source>,
}

/// A work cited by the scenario.
#[derive(Debug, Clone)]
pub struct Source {
    /// Short id used in `source` fields.
    pub id: String,
    /// Full citation.
    pub cite: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TimeWire {
    horizon: SpannedParam,
    tick: SpannedParam,
}

/// The simulated time.
#[derive(Debug, Clone, Copy)]
pub struct TimeConfig {
    /// Horizon (days).
    pub horizon: ParamId,
    /// Days per tick.
    pub tick: ParamId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConflictWire {
    sides: Spanned<Vec<Spanned<String>>>,
    defender_advantage: SpannedParam,
    contest_exponent: SpannedParam,
    escalation_probability: SpannedParam,
    tension_per_incident: SpannedParam,
    tension_half_life: SpannedParam,
    tension_escalation_gain: SpannedParam,
    trust_growth: SpannedParam,
    trust_loss_per_violation: SpannedParam,
    misattribution_trust_loss: SpannedParam,
    hostility_per_violation: SpannedParam,
    weariness_half_life: SpannedParam,
    hostility_half_life: SpannedParam,
    deliberate_share: SpannedParam,
    deterrence: SpannedParam,
    threat_weight: SpannedParam,
    baseline_detection: SpannedParam,
    baseline_attribution: SpannedParam,
    max_hazard: SpannedParam,
}

/// The conflict itself: its two armed sides and the parameters of the causal core.
#[derive(Debug, Clone, Copy)]
pub struct ConflictConfig {
    /// Party indices of the two armed sides.
    pub sides: [u8; 2],
    /// Force multiplier of a defender in prepared positions (multiplier).
    pub defender_advantage: ParamId,
    /// Exponent of the contest function that turns a force ratio into a chance of winning.
    pub contest_exponent: ParamId,
    /// Chance that a serious incident escalates into large-scale war at zero tension.
    pub escalation_probability: ParamId,
    /// Tension added by a serious incident.
    pub tension_per_incident: ParamId,
    /// Half-life of tension (days).
    pub tension_half_life: ParamId,
    /// How much tension multiplies escalation: × (1 + gain × tension).
    pub tension_escalation_gain: ParamId,
    /// Rate at which trust approaches 1 during a quiet ceasefire (per day).
    pub trust_growth: ParamId,
    /// Trust lost by the victim when a violation is attributed to the other side.
    pub trust_loss_per_violation: ParamId,
    /// Trust lost by a side wrongly blamed for a violation.
    pub misattribution_trust_loss: ParamId,
    /// Hostility added by a violation attributed to the other side.
    pub hostility_per_violation: ParamId,
    /// Half-life of war-weariness in peace (days).
    pub weariness_half_life: ParamId,
    /// Half-life of hostility in peace, without education programmes (days).
    pub hostility_half_life: ParamId,
    /// Share of incidents that are deliberate (and so deterred by expected punishment).
    pub deliberate_share: ParamId,
    /// How strongly the expected chance of punishment deters deliberate incidents.
    pub deterrence: ParamId,
    /// Weight of perceived threat in a side's calculus (utility at threat 1).
    pub threat_weight: ParamId,
    /// Chance that national means detect a violation, without any monitoring body.
    pub baseline_detection: ParamId,
    /// Chance that national means attribute a detected violation correctly.
    pub baseline_attribution: ParamId,
    /// Upper bound on a side's hazard of choosing war (per day).
    pub max_hazard: ParamId,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PartyWire {
    id: Spanned<String>,
    name: String,
    kind: Spanned<String>,
    // Armed sides.
    personnel: Option<SpannedParam>,
    quality: Option<SpannedParam>,
    reconstitution: Option<SpannedParam>,
    peacetime_personnel: Option<SpannedParam>,
    demobilisation: Option<SpannedParam>,
    territory_value: Option<SpannedParam>,
    war_cost: Option<SpannedParam>,
    trust: Option<SpannedParam>,
    war_weariness: Option<SpannedParam>,
    hostility: Option<SpannedParam>,
    threat: Option<SpannedParam>,
    incident_rate: Option<SpannedParam>,
    war_incident_rate: Option<SpannedParam>,
    base_hazard: Option<SpannedParam>,
    sensitivity: Option<SpannedParam>,
    // Guarantors.
    willingness: Option<SpannedParam>,
    willingness_spread: Option<SpannedParam>,
    first_election: Option<SpannedParam>,
    election_interval: Option<SpannedParam>,
}

/// What a party is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKind {
    /// A sovereign state.
    State,
    /// A group of states acting together (e.g. "Europe").
    Bloc,
    /// A military alliance.
    Alliance,
    /// An economic or political union.
    Union,
    /// A club of states (e.g. the G8).
    Club,
    /// A body created by the agreement (a council, a working group, a committee).
    Body,
    /// A fund or investment vehicle.
    Fund,
    /// An international agency (e.g. the IAEA, the World Bank).
    Agency,
}

impl PartyKind {
    const NAMES: [(&'static str, PartyKind); 8] = [
        ("state", PartyKind::State),
        ("bloc", PartyKind::Bloc),
        ("alliance", PartyKind::Alliance),
        ("union", PartyKind::Union),
        ("club", PartyKind::Club),
        ("body", PartyKind::Body),
        ("fund", PartyKind::Fund),
        ("agency", PartyKind::Agency),
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }
}

/// Parameters of an armed side.
#[derive(Debug, Clone, Copy)]
pub struct SideConfig {
    /// Military personnel at signing.
    pub personnel: ParamId,
    /// Combat power per 1,000 personnel (index).
    pub quality: ParamId,
    /// Growth of quality per day (relative): rearmament and reconstitution.
    pub reconstitution: ParamId,
    /// Personnel the side moves to in peacetime when no cap applies.
    pub peacetime_personnel: ParamId,
    /// Time to demobilise to the peacetime (or capped) level (days).
    pub demobilisation: ParamId,
    /// Utility of one percentage point of the contested country's area that the side claims.
    pub territory_value: ParamId,
    /// Cost of renewed large-scale war at full war-weariness (utility).
    pub war_cost: ParamId,
    /// Trust in the other side at signing.
    pub trust: ParamId,
    /// War-weariness at signing.
    pub weariness: ParamId,
    /// Hostility towards the other side at signing.
    pub hostility: ParamId,
    /// Perceived threat at signing, before provisions.
    pub threat: ParamId,
    /// Serious incidents the side causes per day at full hostility and no trust, in a ceasefire.
    pub incident_rate: ParamId,
    /// Serious incidents per day while fighting goes on before the ceasefire.
    pub war_incident_rate: ParamId,
    /// Hazard of choosing war (per day) when its net utility is zero.
    pub base_hazard: ParamId,
    /// How sharply the hazard responds to net utility (per utility).
    pub sensitivity: ParamId,
}

/// Parameters of a guarantor.
#[derive(Debug, Clone, Copy)]
pub struct GuarantorConfig {
    /// Chance of a military response to an attack on the protected side, at signing.
    pub willingness: ParamId,
    /// Spread (sd) of willingness redrawn at each election.
    pub willingness_spread: Option<ParamId>,
    /// Day of the first election after signing.
    pub first_election: Option<ParamId>,
    /// Days between elections.
    pub election_interval: Option<ParamId>,
}

/// A checked party.
#[derive(Debug, Clone)]
pub struct PartyConfig {
    /// Id used in references.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub kind: PartyKind,
    /// Parameters when it is an armed side.
    pub side: Option<SideConfig>,
    /// Parameters when it can act as a guarantor.
    pub guarantor: Option<GuarantorConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct MembershipWire {
    member: Spanned<String>,
    of: Spanned<String>,
    status: Spanned<String>,
}

/// Standing of a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    /// A full member.
    Active,
    /// Membership suspended (e.g. Russia in the G8 since 2014).
    Suspended,
    /// A candidate for membership.
    Candidate,
    /// Barred from membership.
    Barred,
}

impl MembershipStatus {
    const NAMES: [(&'static str, MembershipStatus); 4] = [
        ("active", MembershipStatus::Active),
        ("suspended", MembershipStatus::Suspended),
        ("candidate", MembershipStatus::Candidate),
        ("barred", MembershipStatus::Barred),
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }
}

/// A checked membership.
#[derive(Debug, Clone, Copy)]
pub struct MembershipConfig {
    /// The member's party index.
    pub member: u8,
    /// The organisation's party index.
    pub of: u8,
    /// Standing at signing.
    pub status: MembershipStatus,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RegionWire {
    id: Spanned<String>,
    name: String,
    area: SpannedParam,
    control: SpannedParam,
    #[serde(default)]
    claimed_by: Vec<Spanned<String>>,
}

/// A region whose control matters to the agreement.
#[derive(Debug, Clone)]
pub struct RegionConfig {
    /// Id used in references.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Share of the contested country's area (fraction).
    pub area: ParamId,
    /// Share of the region held by the first side at signing (fraction).
    pub control: ParamId,
    /// Which sides (0, 1) claim the whole region.
    pub claimed_by: [bool; 2],
}

type Compiled = (
    Meta,
    TimeConfig,
    ConflictConfig,
    Vec<PartyConfig>,
    Vec<MembershipConfig>,
    Vec<RegionConfig>,
);

pub(super) fn compile(ctx: &mut Ctx<'_>, w: ScenarioWire) -> Result<Compiled, ScenarioError> {
    let meta = Meta {
        name: w.scenario.name,
        title: w.scenario.title,
        description: w.scenario.description,
        agreement_date: w.scenario.agreement_date,
        start_date: w.scenario.start_date,
        sources: w
            .scenario
            .source
            .into_iter()
            .map(|s| Source {
                id: s.id,
                cite: s.cite,
            })
            .collect(),
    };
    let time = TimeConfig {
        horizon: ctx.param("time.horizon", Dim::Duration, &w.time.horizon)?,
        tick: ctx.param("time.tick", Dim::Duration, &w.time.tick)?,
    };
    let tick = ctx.params.spec(time.tick).value;
    if tick < 1.0 || tick.fract() != 0.0 {
        return Err(ctx.err(
            w.time.tick.span(),
            "`time.tick` must be a whole number of days, at least 1",
        ));
    }
    if ctx.params.spec(time.horizon).value < tick {
        return Err(ctx.err(
            w.time.horizon.span(),
            "`time.horizon` must be at least one tick long",
        ));
    }

    // Parties first: everything else refers to them.
    for p in &w.party {
        let p = p.get_ref();
        let kind = PartyKind::NAMES
            .iter()
            .find(|(n, _)| *n == p.kind.get_ref())
            .map(|(_, k)| *k)
            .ok_or_else(|| {
                let allowed: Vec<_> = PartyKind::NAMES
                    .iter()
                    .map(|(n, _)| format!("\"{n}\""))
                    .collect();
                ctx.err(
                    p.kind.span(),
                    format!(
                        "unknown party kind \"{}\"; expected one of {}",
                        p.kind.get_ref(),
                        allowed.join(", ")
                    ),
                )
            })?;
        if ctx.parties.iter().any(|q| q.id == *p.id.get_ref()) {
            return Err(ctx.err(
                p.id.span(),
                format!("party \"{}\" is defined twice", p.id.get_ref()),
            ));
        }
        if !valid_id(p.id.get_ref()) {
            return Err(ctx.err(
                p.id.span(),
                "a party id must be lower-case letters, digits and '-'",
            ));
        }
        ctx.parties.push(super::PartyRef {
            id: p.id.get_ref().clone(),
            kind,
        });
    }
    if ctx.parties.len() > crate::model::MAX_PARTIES {
        return Err(ctx.file_err(format!(
            "has {} parties; at most {} are supported",
            ctx.parties.len(),
            crate::model::MAX_PARTIES
        )));
    }

    let cw = w.conflict.get_ref();
    let sides_v = cw.sides.get_ref();
    if sides_v.len() != 2 {
        return Err(ctx.err(
            cw.sides.span(),
            format!(
                "`conflict.sides` must name exactly two parties, found {}",
                sides_v.len()
            ),
        ));
    }
    let sides = [
        ctx.party("conflict.sides", &sides_v[0])?,
        ctx.party("conflict.sides", &sides_v[1])?,
    ];
    if sides[0] == sides[1] {
        return Err(ctx.err(
            cw.sides.span(),
            "`conflict.sides` must name two different parties",
        ));
    }
    let c = |ctx: &mut Ctx<'_>, key: &str, dim: Dim, w: &SpannedParam| {
        ctx.param(&format!("conflict.{key}"), dim, w)
    };
    let conflict = ConflictConfig {
        sides,
        defender_advantage: c(
            ctx,
            "defender-advantage",
            Dim::Multiplier,
            &cw.defender_advantage,
        )?,
        contest_exponent: c(
            ctx,
            "contest-exponent",
            Dim::Multiplier,
            &cw.contest_exponent,
        )?,
        escalation_probability: c(
            ctx,
            "escalation-probability",
            Dim::Probability,
            &cw.escalation_probability,
        )?,
        tension_per_incident: c(
            ctx,
            "tension-per-incident",
            Dim::Multiplier,
            &cw.tension_per_incident,
        )?,
        tension_half_life: c(
            ctx,
            "tension-half-life",
            Dim::Duration,
            &cw.tension_half_life,
        )?,
        tension_escalation_gain: c(
            ctx,
            "tension-escalation-gain",
            Dim::Multiplier,
            &cw.tension_escalation_gain,
        )?,
        trust_growth: c(ctx, "trust-growth", Dim::Rate, &cw.trust_growth)?,
        trust_loss_per_violation: c(
            ctx,
            "trust-loss-per-violation",
            Dim::Fraction,
            &cw.trust_loss_per_violation,
        )?,
        misattribution_trust_loss: c(
            ctx,
            "misattribution-trust-loss",
            Dim::Fraction,
            &cw.misattribution_trust_loss,
        )?,
        hostility_per_violation: c(
            ctx,
            "hostility-per-violation",
            Dim::Fraction,
            &cw.hostility_per_violation,
        )?,
        weariness_half_life: c(
            ctx,
            "weariness-half-life",
            Dim::Duration,
            &cw.weariness_half_life,
        )?,
        hostility_half_life: c(
            ctx,
            "hostility-half-life",
            Dim::Duration,
            &cw.hostility_half_life,
        )?,
        deliberate_share: c(ctx, "deliberate-share", Dim::Fraction, &cw.deliberate_share)?,
        deterrence: c(ctx, "deterrence", Dim::Fraction, &cw.deterrence)?,
        threat_weight: c(ctx, "threat-weight", Dim::Utility, &cw.threat_weight)?,
        baseline_detection: c(
            ctx,
            "baseline-detection",
            Dim::Probability,
            &cw.baseline_detection,
        )?,
        baseline_attribution: c(
            ctx,
            "baseline-attribution",
            Dim::Probability,
            &cw.baseline_attribution,
        )?,
        max_hazard: c(ctx, "max-hazard", Dim::Rate, &cw.max_hazard)?,
    };

    let mut parties = Vec::with_capacity(w.party.len());
    for (i, sp) in w.party.iter().enumerate() {
        let p = sp.get_ref();
        let id = p.id.get_ref().clone();
        let pre = format!("party.{id}");
        let key = |k: &str| format!("{pre}.{k}");
        let is_side = sides.contains(&(i as u8));
        let side_fields = [
            ("personnel", &p.personnel),
            ("quality", &p.quality),
            ("reconstitution", &p.reconstitution),
            ("peacetime-personnel", &p.peacetime_personnel),
            ("demobilisation", &p.demobilisation),
            ("territory-value", &p.territory_value),
            ("war-cost", &p.war_cost),
            ("trust", &p.trust),
            ("war-weariness", &p.war_weariness),
            ("hostility", &p.hostility),
            ("threat", &p.threat),
            ("incident-rate", &p.incident_rate),
            ("war-incident-rate", &p.war_incident_rate),
            ("base-hazard", &p.base_hazard),
            ("sensitivity", &p.sensitivity),
        ];
        let side = if is_side {
            let what = format!("party \"{id}\" is an armed side (in `conflict.sides`) and");
            let req = |ctx: &mut Ctx<'_>, k: &str, dim: Dim, f: &Option<SpannedParam>| {
                let got = ctx.opt_param(&key(k), dim, f)?;
                ctx.require(p.id.span(), &what, k, got)
            };
            Some(SideConfig {
                personnel: req(ctx, "personnel", Dim::Count, &p.personnel)?,
                quality: req(ctx, "quality", Dim::Multiplier, &p.quality)?,
                reconstitution: req(ctx, "reconstitution", Dim::Rate, &p.reconstitution)?,
                peacetime_personnel: req(
                    ctx,
                    "peacetime-personnel",
                    Dim::Count,
                    &p.peacetime_personnel,
                )?,
                demobilisation: req(ctx, "demobilisation", Dim::Duration, &p.demobilisation)?,
                territory_value: req(ctx, "territory-value", Dim::Utility, &p.territory_value)?,
                war_cost: req(ctx, "war-cost", Dim::Utility, &p.war_cost)?,
                trust: req(ctx, "trust", Dim::Fraction, &p.trust)?,
                weariness: req(ctx, "war-weariness", Dim::Fraction, &p.war_weariness)?,
                hostility: req(ctx, "hostility", Dim::Fraction, &p.hostility)?,
                threat: req(ctx, "threat", Dim::Fraction, &p.threat)?,
                incident_rate: req(ctx, "incident-rate", Dim::Rate, &p.incident_rate)?,
                war_incident_rate: req(ctx, "war-incident-rate", Dim::Rate, &p.war_incident_rate)?,
                base_hazard: req(ctx, "base-hazard", Dim::Rate, &p.base_hazard)?,
                sensitivity: req(ctx, "sensitivity", Dim::Multiplier, &p.sensitivity)?,
            })
        } else {
            if let Some((k, f)) = side_fields.iter().find(|(_, f)| f.is_some()) {
                let span = f.as_ref().map_or(p.id.span(), |f| f.span());
                return Err(ctx.err(
                    span,
                    format!("`{k}` is only for the armed sides named in `conflict.sides`; \"{id}\" is not one"),
                ));
            }
            None
        };
        let guarantor = match &p.willingness {
            None => {
                for (k, f) in [
                    ("willingness-spread", &p.willingness_spread),
                    ("first-election", &p.first_election),
                    ("election-interval", &p.election_interval),
                ] {
                    if let Some(f) = f {
                        return Err(ctx.err(
                            f.span(),
                            format!("`{k}` needs `willingness` on the same party"),
                        ));
                    }
                }
                None
            }
            Some(wl) => {
                let willingness = ctx.param(&key("willingness"), Dim::Probability, wl)?;
                let willingness_spread = ctx.opt_param(
                    &key("willingness-spread"),
                    Dim::Fraction,
                    &p.willingness_spread,
                )?;
                let first_election =
                    ctx.opt_param(&key("first-election"), Dim::Duration, &p.first_election)?;
                let election_interval = ctx.opt_param(
                    &key("election-interval"),
                    Dim::Duration,
                    &p.election_interval,
                )?;
                if first_election.is_some() != election_interval.is_some() {
                    return Err(ctx.err(wl.span(), format!(
                        "party \"{id}\" gives one of `first-election` and `election-interval`; give both or neither"
                    )));
                }
                if let Some(iv) = election_interval
                    && ctx.params.spec(iv).value < 1.0
                {
                    return Err(ctx.err(
                        wl.span(),
                        format!("`{pre}.election-interval` must be at least one day"),
                    ));
                }
                Some(GuarantorConfig {
                    willingness,
                    willingness_spread,
                    first_election,
                    election_interval,
                })
            }
        };
        parties.push(PartyConfig {
            id,
            name: p.name.clone(),
            kind: ctx.parties[i].kind,
            side,
            guarantor,
        });
    }

    let mut memberships = Vec::new();
    for m in &w.membership {
        let mw = m.get_ref();
        let member = ctx.party("membership.member", &mw.member)?;
        let of = ctx.party("membership.of", &mw.of)?;
        let status = MembershipStatus::NAMES
            .iter()
            .find(|(n, _)| *n == mw.status.get_ref())
            .map(|(_, k)| *k)
            .ok_or_else(|| {
                let allowed: Vec<_> = MembershipStatus::NAMES
                    .iter()
                    .map(|(n, _)| format!("\"{n}\""))
                    .collect();
                ctx.err(
                    mw.status.span(),
                    format!(
                        "unknown membership status \"{}\"; expected one of {}",
                        mw.status.get_ref(),
                        allowed.join(", ")
                    ),
                )
            })?;
        if member == of {
            return Err(ctx.err(m.span(), "a party cannot be a member of itself"));
        }
        if memberships
            .iter()
            .any(|x: &MembershipConfig| x.member == member && x.of == of)
        {
            return Err(ctx.err(m.span(), "this membership is given twice"));
        }
        memberships.push(MembershipConfig { member, of, status });
    }

    let mut regions: Vec<RegionConfig> = Vec::new();
    for r in &w.region {
        let rw = r.get_ref();
        let id = rw.id.get_ref().clone();
        if regions.iter().any(|x| x.id == id) {
            return Err(ctx.err(rw.id.span(), format!("region \"{id}\" is defined twice")));
        }
        let area = ctx.param(&format!("region.{id}.area"), Dim::Fraction, &rw.area)?;
        let control = ctx.param(&format!("region.{id}.control"), Dim::Fraction, &rw.control)?;
        let mut claimed_by = [false; 2];
        for c in &rw.claimed_by {
            let idx = ctx.party("region.claimed-by", c)?;
            match sides.iter().position(|&s| s == idx) {
                Some(s) => claimed_by[s] = true,
                None => {
                    return Err(ctx.err(c.span(), format!(
                        "`claimed-by` may name only the armed sides in `conflict.sides`; \"{}\" is not one",
                        c.get_ref()
                    )));
                }
            }
        }
        regions.push(RegionConfig {
            id,
            name: rw.name.clone(),
            area,
            control,
            claimed_by,
        });
    }
    let total_area: f64 = regions.iter().map(|r| ctx.params.spec(r.area).value).sum();
    if total_area > 1.0 + 1e-9 {
        return Err(ctx.file_err(format!(
            "the regions' areas add up to {:.1}% of the country, more than 100%",
            total_area * 100.0
        )));
    }
    if regions.len() > crate::provisions::territory::MAX_REGIONS {
        return Err(ctx.file_err(format!(
            "has {} regions; at most {} are supported",
            regions.len(),
            crate::provisions::territory::MAX_REGIONS
        )));
    }
    Ok((meta, time, conflict, parties, memberships, regions))
}

/// True for ids made of lower-case ASCII letters, digits and '-'.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
