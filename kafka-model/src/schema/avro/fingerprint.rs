//! CRC-64-AVRO (Rabin) fingerprints.

pub(super) const EMPTY: u64 = 0xc15d_213a_a4d7_a795;

pub(super) static FP_TABLE: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut fp = i as u64;
        let mut j = 0;
        while j < 8 {
            fp = (fp >> 1) ^ (EMPTY & 0u64.wrapping_sub(fp & 1));
            j += 1;
        }
        table[i] = fp;
        i += 1;
    }
    table
};

/// The CRC-64-AVRO (Rabin) fingerprint of `bytes`, as in the specification's
/// "Schema Fingerprints" (`fingerprint64`). The specification's `long` is this value's bit
/// pattern: `"int"` gives `8247732601305521295`, `"null"` gives `7195948357588979594`.
pub fn rabin_fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(EMPTY, |fp, &b| {
        (fp >> 8) ^ FP_TABLE[((fp ^ u64::from(b)) & 0xff) as usize]
    })
}
