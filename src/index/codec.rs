//! The building blocks of the export's files and of the files beside the index, shared by
//! every encoder and decoder of `index` and below all of them: a file as written
//! ([`ExportFile`], under [`EXPORT_FOLDER`]), LEB128 varints, gzip, and [`Damaged`], why a
//! file does not read.

/// The folder of the output the export is written to (beside the search page).
pub const EXPORT_FOLDER: &str = "search/";

/// One file of the export: its path in the output and its bytes.
pub type ExportFile = (String, Vec<u8>);

/// Why a file beside the index (the dictionary, the sort keys) could not be read.
#[derive(Debug, thiserror::Error)]
#[error("damaged: {0}")]
pub struct Damaged(pub &'static str);

/// Appends `value` as a LEB128 varint (7 bits a byte, low first).
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// One LEB128 varint at `at`, moving `at` past it; refuses one that runs past the end or
/// past 64 bits.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> Result<u64, Damaged> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes
            .get(*at)
            .ok_or(Damaged("a number runs past the end"))?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok(value);
        }
    }
    Err(Damaged("a number is too long"))
}

/// `bytes` gzip-compressed, for the runtime's `DecompressionStream("gzip")`. Level 4: on
/// postings it compresses within 3% of level 9 in under half the time, and the
/// shards are compressed one after another on the build's critical path.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, flate2::Compression::new(4))
}

/// `bytes` gzip-compressed as small as gzip can: for the few files every first query loads.
pub fn gzip_best(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, flate2::Compression::best())
}

fn gzip_at(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128_and_read_back() {
        let mut out = Vec::new();
        write_varint(&mut out, 5);
        write_varint(&mut out, 300);
        assert_eq!(out, [5, 0xac, 0x02]);
        let mut at = 0;
        assert_eq!(read_varint(&out, &mut at).unwrap(), 5);
        assert_eq!(read_varint(&out, &mut at).unwrap(), 300);
        assert!(read_varint(&out, &mut at).is_err(), "past the end");
        assert!(read_varint(&[0xff; 11], &mut 0).is_err(), "past 64 bits");
    }
}
