//! The columns of `runs.csv` and `trace.csv`, in one place.
//!
//! Column names depend on the scenario (its side ids and its uncertain parameters), so the
//! header and each row are built by the same [`RunColumns`], which makes the schema visible
//! here and keeps header and rows from drifting apart. Numbers are written with a fixed
//! precision, so files are byte-identical wherever they are produced.

use crate::engine::{RunRecord, TraceRow};
use crate::model::Cause;
use crate::scenario::Scenario;

const POW10: [f64; 16] = [
    1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];
const IPOW10: [u64; 16] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
];

/// Appends the decimal digits of `n`.
pub fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `x` rounded to `decimals` decimals (at most 15), without trailing zeros; nothing for
/// NaN or infinity. Written by hand rather than with `format!` because `runs.csv` gets
/// millions of such numbers: this is the writer's hot path.
pub fn push_fixed(out: &mut Vec<u8>, x: f64, decimals: usize) {
    if !x.is_finite() {
        return;
    }
    let d = decimals.min(15);
    let scaled = (x * POW10[d]).round();
    if scaled.abs() >= 9.0e15 {
        // Beyond exact integers: rare (no output column gets there); let `format!` do it.
        let s = format!("{x:.d$}");
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let mut n = scaled as i64;
    if n == 0 {
        out.push(b'0');
        return;
    }
    if n < 0 {
        out.push(b'-');
        n = -n;
    }
    let n = n as u64;
    push_u64(out, n / IPOW10[d]);
    let mut frac = n % IPOW10[d];
    if frac == 0 {
        return;
    }
    let mut digits = d;
    while frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    out.push(b'.');
    let mut buf = [b'0'; 15];
    for i in (0..digits).rev() {
        buf[i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    out.extend_from_slice(&buf[..digits]);
}

/// `x` with at most `decimals` decimals, without trailing zeros; empty for NaN or infinity.
pub fn num(x: f64, decimals: usize) -> String {
    let mut v = Vec::with_capacity(24);
    push_fixed(&mut v, x, decimals);
    String::from_utf8(v).expect("digits, '-' and '.' are ASCII")
}

/// The name of a cause of collapse, as written in outputs.
pub fn cause_name(scenario: &Scenario, cause: Cause) -> String {
    match cause {
        Cause::WithdrawalFailed => "withdrawal-failed".to_string(),
        Cause::Offensive(s) => format!("offensive-by-{}", scenario.side_id(s)),
        Cause::Escalation => "escalation".to_string(),
    }
}

/// All causes, in the order outputs list them.
pub fn causes() -> [Cause; 4] {
    [
        Cause::Offensive(0),
        Cause::Offensive(1),
        Cause::Escalation,
        Cause::WithdrawalFailed,
    ]
}

/// Index of a cause in [`causes`].
pub fn cause_index(cause: Cause) -> usize {
    match cause {
        Cause::Offensive(0) => 0,
        Cause::Offensive(_) => 1,
        Cause::Escalation => 2,
        Cause::WithdrawalFailed => 3,
    }
}

/// The columns of `runs.csv` for one scenario.
pub struct RunColumns {
    variant_column: Option<(String, Vec<String>)>,
    header: Vec<String>,
    sides: [String; 2],
}

impl RunColumns {
    /// Columns for `scenario`; `variant_column` names a leading column and the label of each
    /// variant (for sweeps and ablations).
    pub fn new(scenario: &Scenario, variant_column: Option<(String, Vec<String>)>) -> RunColumns {
        let a = scenario.side_id(0).replace('-', "_");
        let b = scenario.side_id(1).replace('-', "_");
        let mut h: Vec<String> = Vec::new();
        if let Some((name, _)) = &variant_column {
            h.push(name.clone());
        }
        for c in [
            "run",
            "seed",
            "outcome",
            "collapse_day",
            "cause",
            "ceasefire_day",
        ] {
            h.push(c.to_string());
        }
        for stem in ["incidents", "violations", "attributed"] {
            h.push(format!("{stem}_{a}"));
            h.push(format!("{stem}_{b}"));
        }
        for c in ["detected", "misattributed", "sanctions_imposed"] {
            h.push(c.to_string());
        }
        for stem in ["personnel", "trust", "hostility", "net_utility"] {
            h.push(format!("{stem}_{a}"));
            h.push(format!("{stem}_{b}"));
        }
        for c in [
            "sanctions_phases",
            "guarantee",
            "guarantee_void_day",
            "guarantee_void_cause",
            "election",
            "exchanges",
            "invested_usd_bn",
            "profits_paid_usd_bn",
            "plant_twh",
        ] {
            h.push(c.to_string());
        }
        for id in scenario.params.uncertain() {
            h.push(scenario.params.spec(id).path.clone());
        }
        RunColumns {
            variant_column,
            header: h,
            sides: [a, b],
        }
    }

    /// The header row.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The side ids as they appear in column names.
    pub fn sides(&self) -> &[String; 2] {
        &self.sides
    }

    /// Appends one line (with its newline) for a record, in header order. Fields are
    /// numbers and identifiers (lower-case letters, digits, '-', '_', '.'), which CSV never
    /// quotes, so the line is written directly.
    pub fn write_row(&self, scenario: &Scenario, r: &RunRecord, out: &mut Vec<u8>) {
        let mut f = Fields { out, first: true };
        if let Some((_, labels)) = &self.variant_column {
            f.str(&labels[r.variant as usize]);
        }
        f.int(r.run);
        f.int(r.seed);
        f.str(if r.held { "held" } else { "collapsed" });
        f.fixed(if r.held { f64::NAN } else { r.end_day }, 2);
        match r.cause {
            Some(c) => f.str(&cause_name(scenario, c)),
            None => f.str(""),
        }
        f.fixed(r.ceasefire_day.unwrap_or(f64::NAN), 2);
        for s in 0..2 {
            f.int(u64::from(r.incidents[s]));
        }
        for s in 0..2 {
            f.int(r.committed[s].iter().map(|&c| u64::from(c)).sum());
        }
        for s in 0..2 {
            f.int(r.attributed[s].iter().map(|&c| u64::from(c)).sum());
        }
        f.int(u64::from(r.detected));
        f.int(u64::from(r.misattributed));
        f.int(u64::from(r.sanctions_imposed));
        for s in 0..2 {
            f.fixed(r.personnel[s], 0);
        }
        for s in 0..2 {
            f.fixed(r.trust[s], 4);
        }
        for s in 0..2 {
            f.fixed(r.hostility[s], 4);
        }
        for s in 0..2 {
            f.fixed(r.net_utility[s], 4);
        }
        f.int(u64::from(r.sanctions_phases));
        f.str(if r.guarantee_valid { "valid" } else { "void" });
        f.fixed(r.guarantee_void_day.unwrap_or(f64::NAN), 2);
        f.str(r.guarantee_void_cause.map_or("", |c| c.name()));
        f.str(match r.election {
            0 => "",
            1 => "conciliatory",
            _ => "resentful",
        });
        f.int(u64::from(r.exchanges));
        f.fixed(r.invested, 3);
        f.fixed(r.paid_out, 3);
        f.fixed(r.plant_twh, 3);
        for (i, &x) in r.drawn.iter().enumerate() {
            let spec = scenario.params.spec(scenario.params.uncertain()[i]);
            f.fixed(x / spec.factor, 6);
        }
        f.out.push(b'\n');
    }

    /// The header as a CSV line.
    pub fn header_line(&self) -> Vec<u8> {
        let mut out = self.header.join(",").into_bytes();
        out.push(b'\n');
        out
    }
}

/// Fields of one CSV line being written.
struct Fields<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Fields<'_> {
    fn sep(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn int(&mut self, n: u64) {
        self.sep();
        push_u64(self.out, n);
    }

    fn fixed(&mut self, x: f64, decimals: usize) {
        self.sep();
        push_fixed(self.out, x, decimals);
    }

    fn str(&mut self, s: &str) {
        self.sep();
        debug_assert!(!s.contains([',', '"', '\n']), "field needs quoting: {s}");
        self.out.extend_from_slice(s.as_bytes());
    }
}

/// Header of `trace.csv` as a CSV line.
pub fn trace_header(with_variant: Option<&str>) -> Vec<u8> {
    let mut h: Vec<&str> = Vec::new();
    if let Some(v) = with_variant {
        h.push(v);
    }
    h.extend(["run", "day", "entity", "variable", "value"]);
    let mut out = h.join(",").into_bytes();
    out.push(b'\n');
    out
}

/// Appends one line of `trace.csv`.
pub fn write_trace_row(scenario: &Scenario, label: Option<&str>, t: &TraceRow, out: &mut Vec<u8>) {
    let mut f = Fields { out, first: true };
    if let Some(l) = label {
        f.str(l);
    }
    f.int(t.run);
    f.fixed(t.day, 2);
    match t.entity {
        Some(i) => f.str(&scenario.parties[i as usize].id),
        None => f.str("run"),
    }
    f.str(t.variable);
    f.fixed(t.value, 6);
    f.out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact_and_stable() {
        assert_eq!(num(3.0, 4), "3");
        assert_eq!(num(0.12345678, 4), "0.1235");
        assert_eq!(num(-0.00001, 2), "0");
        assert_eq!(num(700000.4, 0), "700000");
        assert_eq!(num(f64::NAN, 2), "");
        assert_eq!(num(1.5, 2), "1.5");
        assert_eq!(num(-2.25, 1), "-2.3");
        assert_eq!(num(0.000001, 6), "0.000001");
        assert_eq!(num(12.0, 6), "12");
        assert_eq!(num(1e17, 2), "100000000000000000.00");
    }

    #[test]
    fn integers_are_written_in_full() {
        for n in [0u64, 7, 10, 1234567890, u64::MAX] {
            let mut v = Vec::new();
            push_u64(&mut v, n);
            assert_eq!(String::from_utf8(v).unwrap(), n.to_string());
        }
    }
}
