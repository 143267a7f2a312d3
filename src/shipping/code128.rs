//! Code 128 encoding (subsets B and C) for the barcodes drawn into PDFs: tracking numbers, order
//! and pick list numbers. Digit runs go into subset C (two digits a symbol) so long numeric
//! tracking numbers stay narrow enough for a 4-inch label. Pure.

use crate::error::{Error, Result};

/// Bar/space widths of each symbol value (0–105), then the stop pattern (106).
const PATTERNS: [&str; 107] = [
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
];

const CODE_C: u32 = 99;
const CODE_B: u32 = 100;
const START_B: u32 = 104;
const START_C: u32 = 105;
const STOP: usize = 106;

/// Quiet zone each side, in modules (the standard asks for at least 10).
pub const QUIET_ZONE: u32 = 10;

/// The symbol values of `data` (start, data, check; no stop).
pub fn symbols(data: &str, field: &str) -> Result<Vec<u32>> {
    if data.is_empty() {
        return Err(Error::invalid(
            field,
            "Nothing to put in the barcode: the text is empty",
        ));
    }
    if let Some(c) = data.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(Error::invalid(
            field,
            format!(
                "'{c}' cannot go into a Code 128 barcode: use letters, digits and plain ASCII punctuation"
            ),
        ));
    }
    let b = data.as_bytes();
    let run_at = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut out = Vec::with_capacity(b.len() + 4);
    let mut i = 0;
    let first = run_at(0);
    let mut in_c = first >= 4 || (first == b.len() && first % 2 == 0);
    out.push(if in_c { START_C } else { START_B });
    while i < b.len() {
        if in_c {
            if run_at(i) >= 2 {
                out.push(u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0'));
                i += 2;
            } else {
                out.push(CODE_B);
                in_c = false;
            }
        } else {
            let run = run_at(i);
            let worth_c = run >= 6 || (run >= 4 && i + run == b.len());
            if worth_c && run % 2 == 0 {
                out.push(CODE_C);
                in_c = true;
            } else {
                out.push(u32::from(b[i] - b' '));
                i += 1;
            }
        }
    }
    let check = out
        .iter()
        .enumerate()
        .map(|(k, v)| v * (k.max(1) as u32))
        .sum::<u32>()
        % 103;
    out.push(check);
    Ok(out)
}

/// Bar and space widths in modules, starting with a bar and ending with the stop's final bar
/// (quiet zones not included).
pub fn widths(data: &str, field: &str) -> Result<Vec<u8>> {
    let mut w = Vec::new();
    for s in symbols(data, field)? {
        w.extend(PATTERNS[s as usize].bytes().map(|c| c - b'0'));
    }
    w.extend(PATTERNS[STOP].bytes().map(|c| c - b'0'));
    Ok(w)
}

/// Total modules of the symbol without quiet zones.
pub fn module_count(widths: &[u8]) -> u32 {
    widths.iter().map(|w| u32::from(*w)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_eleven_modules_and_stop_thirteen() {
        for (i, p) in PATTERNS.iter().enumerate() {
            let sum: u32 = p.bytes().map(|c| u32::from(c - b'0')).sum();
            assert_eq!(sum, if i == STOP { 13 } else { 11 }, "pattern {i}");
        }
    }

    #[test]
    fn digit_runs_use_subset_c() {
        // All digits, even: start C, pairs, check.
        assert_eq!(
            symbols("123456", "f").unwrap(),
            vec![105, 12, 34, 56, (105 + 12 + 68 + 168) % 103]
        );
        // UPS: letters in B, trailing 10 digits in C.
        let s = symbols("1Z999AA10123456784", "f").unwrap();
        assert_eq!(s[0], START_B);
        assert!(s.contains(&CODE_C));
        assert_eq!(s.len(), 1 + 8 + 1 + 5 + 1);
        // Odd run at the end: one digit in B first, then C.
        let s = symbols("AB12345", "f").unwrap();
        assert_eq!(&s[..5], &[START_B, 33, 34, 17, CODE_C]);
        // Short mixed text stays in B.
        assert_eq!(symbols("A1", "f").unwrap()[..3], [START_B, 33, 17]);
        // 13 digits: start C for 12, back to B for the last.
        let s = symbols("1234567890123", "f").unwrap();
        assert_eq!(s[0], START_C);
        assert_eq!(s[7], CODE_B);
    }

    #[test]
    fn bad_text_is_refused() {
        assert!(symbols("", "f").is_err());
        assert!(symbols("é", "f").is_err());
        assert!(symbols("a\tb", "f").is_err());
    }

    #[test]
    fn widths_alternate_and_end_with_stop() {
        let w = widths("SO-10001", "f").unwrap();
        assert_eq!(w.len() % 6, 1);
        assert_eq!(&w[w.len() - 7..], &[2, 3, 3, 1, 1, 1, 2]);
    }
}
