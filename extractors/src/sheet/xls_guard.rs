//! A check of an XLS file before calamine parses it.
//!
//! calamine reads the whole workbook when it opens an XLS file, and trusts two things a hostile
//! file controls: a worksheet's `DIMENSIONS` record, from which it reserves memory for every cell
//! the record claims (a 5 KB file can ask for gigabytes, and a failed allocation aborts the
//! process), and the sector chains of the compound file, which it follows without looking for
//! cycles (a chain that loops grows without end). This module reads the compound file the way
//! calamine does — header, DIFAT, FAT, directory, mini stream, then the `Workbook` (or `Book`)
//! stream — refusing cyclic or dangling chains, and walks the BIFF records of every worksheet
//! substream, refusing a `DIMENSIONS` record that claims more cells than the format can hold
//! (65,536 rows × 256 columns). A file that passes is one calamine can open within bounded
//! memory; a file that fails gets a clear error instead of a crashed batch.

/// Cells a BIFF8 worksheet can hold: 65,536 rows × 256 columns.
pub const MAX_CELLS: u64 = 65_536 * 256;

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const DIFSECT: u32 = 0xFFFF_FFFC;
const RESERVED: u32 = 0xFFFF_FFFA;

fn u16_at(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]) as u32)
        .unwrap_or(0)
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .unwrap_or(0)
}

fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The sectors of a compound file, as calamine numbers them: sector `id` starts `header` bytes
/// plus `id × size` into the file; the last one may be short.
struct Sectors<'a> {
    data: &'a [u8],
    size: usize,
    maxid: u32,
    /// Every sector must lie wholly inside `data` (the mini stream: past its end calamine would
    /// read on from wherever the file reader stands).
    strict: bool,
}

impl<'a> Sectors<'a> {
    fn get(&self, id: u32) -> Result<&'a [u8], String> {
        if self.maxid < id {
            return Err(format!("sector {id} lies beyond the end of the file"));
        }
        let start = (id as usize).saturating_mul(self.size);
        let end = start.saturating_add(self.size);
        if self.strict && end > self.data.len() {
            return Err(format!("mini sector {id} lies beyond the mini stream"));
        }
        Ok(self
            .data
            .get(start.min(self.data.len())..end.min(self.data.len()))
            .unwrap_or(&[]))
    }

    /// The bytes of a chain, at most `len` of them; a chain that loops or leaves the table is
    /// refused.
    fn chain(&self, mut id: u32, table: &[u32], len: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            // A chain that does not loop visits each sector once, and there are no more sectors
            // than the table has entries or the file has room for.
            if steps > table.len().min(self.maxid as usize + 1) + 1 {
                return Err("a sector chain loops".into());
            }
            let sector = self.get(id)?;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *table
                .get(id as usize)
                .ok_or_else(|| format!("sector {id} is outside the allocation table"))?;
        }
        Ok(out)
    }
}

/// The `Workbook` (or `Book`) stream of an OLE2 compound file, read as calamine reads it.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() < 512 {
        return Err("the compound file header is truncated".into());
    }
    let size = match u16_at(bytes, 30) {
        9 => 512usize,
        12 => 4096,
        s => return Err(format!("sector shift {s:#x} is neither 9 nor 12")),
    };
    if u16_at(bytes, 32) != 6 {
        return Err("mini sector shift is not 6".into());
    }
    let header_len = size.min(bytes.len());
    let sectors = Sectors {
        data: &bytes[header_len..],
        size,
        maxid: (bytes.len() / size) as u32,
        strict: false,
    };
    let dir_start = u32_at(bytes, 48);
    let mini_fat_start = u32_at(bytes, 60);
    let mini_fat_len = u32_at(bytes, 64) as usize;
    let mut difat: Vec<u32> = words(&bytes[76..512]).collect();
    let mut id = u32_at(bytes, 68);
    let mut steps = 0usize;
    while id < RESERVED {
        steps += 1;
        if steps > sectors.maxid as usize + 1 {
            return Err("the DIFAT chain loops".into());
        }
        difat.extend(words(sectors.get(id)?));
        id = difat.pop().ok_or("the DIFAT chain is empty")?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fat.extend(words(sectors.get(id)?));
        if fat.len() > bytes.len() {
            return Err("the allocation table is larger than the file".into());
        }
    }
    let dirs = sectors.chain(dir_start, &fat, usize::MAX)?;
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let root = entries.first().ok_or("the directory is empty")?;
    let entry_len = |e: &[u8]| -> usize {
        if size == 512 {
            u32_at(e, 120) as usize
        } else {
            (u32_at(e, 120) as usize) | ((u32_at(e, 124) as usize) << 32)
        }
    };
    let name_of = |e: &[u8]| -> String {
        let units: Vec<u16> = e[..64]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|u| *u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let mini = if mini_fat_len > 0 {
        let stream = sectors.chain(u32_at(root, 116), &fat, entry_len(root))?;
        let table: Vec<u32> =
            words(&sectors.chain(mini_fat_start, &fat, mini_fat_len.saturating_mul(size))?)
                .collect();
        Some((stream, table))
    } else {
        None
    };
    let entry = ["Workbook", "Book"]
        .iter()
        .find_map(|n| entries.iter().find(|e| name_of(e).eq_ignore_ascii_case(n)))
        .ok_or("no Workbook stream")?;
    let (start, len) = (u32_at(entry, 116), entry_len(entry));
    if len < 4096 {
        let (stream, table) = match &mini {
            Some((s, t)) => (s.as_slice(), t.as_slice()),
            None => (&[][..], &[][..]),
        };
        let minis = Sectors {
            data: stream,
            size: 64,
            maxid: sectors.maxid.saturating_mul(8),
            strict: true,
        };
        minis.chain(start, table, len)
    } else {
        if start == FREESECT {
            return Err("the Workbook stream has no sectors".into());
        }
        sectors.chain(start, &fat, len)
    }
}

/// The data of each BIFF record from `pos` on, as calamine's record reader yields them.
fn records(stream: &[u8], pos: usize) -> impl Iterator<Item = (u32, &[u8])> {
    let mut rest = stream.get(pos..).unwrap_or(&[]);
    std::iter::from_fn(move || {
        if rest.len() < 4 {
            return None;
        }
        let typ = u16_at(rest, 0);
        let len = u16_at(rest, 2) as usize;
        if rest.len() < len + 4 {
            return None;
        }
        let data = &rest[4..4 + len];
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

/// Cells a `DIMENSIONS` record makes calamine reserve room for, computed as calamine does.
fn claimed_cells(d: &[u8]) -> Option<u64> {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
    Some(rows.saturating_mul(cols))
}

/// The signature of an OLE2 compound file.
const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Ok when calamine can open the file within bounded memory and without panicking; otherwise
/// why not. A file that is no compound file at all (no signature, header cut short) passes:
/// calamine refuses it on its own, with its own message.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    if !bytes.starts_with(MAGIC) || bytes.len() < 512 {
        return Ok(());
    }
    let stream = workbook_stream(bytes)?;
    // Worksheet substreams start where the BOUNDSHEET records of the globals say.
    let mut starts = vec![0usize];
    for (typ, data) in records(&stream, 0) {
        match typ {
            // FILEPASS: the rest is encrypted, and calamine stops here with its own error.
            0x002F if u16_at(data, 0) != 0 => return Ok(()),
            0x0085 => {
                // calamine reads the visibility and type bytes unchecked, then slices the
                // stream at the offset.
                if data.len() < 6 {
                    return Err(format!(
                        "a BOUNDSHEET record is {} bytes long, too short for a sheet",
                        data.len()
                    ));
                }
                let pos = u32_at(data, 0) as usize;
                if pos > stream.len() {
                    return Err(format!(
                        "a sheet starts at byte {pos}, past the end of the {}-byte workbook stream",
                        stream.len()
                    ));
                }
                starts.push(pos);
            }
            0x000A => break,
            _ => {}
        }
    }
    for pos in starts {
        for (typ, data) in records(&stream, pos) {
            if typ == 0x0200 {
                if let Some(cells) = claimed_cells(data) {
                    if cells > MAX_CELLS {
                        return Err(format!(
                            "a worksheet declares {cells} cells (DIMENSIONS), more than an XLS sheet can hold ({MAX_CELLS})"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_as_calamine_reads_them() {
        // BIFF8: rows 0..10, columns 0..5 → 50 cells.
        let mut d = Vec::new();
        d.extend(0u32.to_le_bytes());
        d.extend(10u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(5u16.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        assert_eq!(claimed_cells(&d), Some(50));
        // First row after the last: the subtraction wraps, as in calamine.
        let mut d = Vec::new();
        d.extend(100u32.to_le_bytes());
        d.extend(10u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(5u16.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        assert!(claimed_cells(&d).unwrap() > MAX_CELLS);
    }

    #[test]
    fn not_a_compound_file_is_left_to_calamine() {
        assert!(check(b"").is_ok());
        assert!(check(&[0u8; 600]).is_ok());
        assert!(check(MAGIC).is_ok());
    }

    #[test]
    fn a_damaged_compound_file_is_refused_not_panicked_on() {
        let mut b = MAGIC.to_vec();
        b.resize(512, 0);
        assert!(check(&b).is_err(), "sector shift 0");
        // Sector shift 9, mini shift 6, directory at sector 0, no DIFAT, the FAT in sector 1
        // whose entry 0 points back at sector 0: the directory chain loops.
        b[30] = 9;
        b[32] = 6;
        b[48..52].copy_from_slice(&0u32.to_le_bytes());
        b[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for i in 0..109 {
            b[76 + 4 * i..80 + 4 * i].copy_from_slice(&FREESECT.to_le_bytes());
        }
        b[76..80].copy_from_slice(&1u32.to_le_bytes());
        b.resize(512 * 3, 0);
        let fat = 512 + 512;
        b[fat..fat + 4].copy_from_slice(&0u32.to_le_bytes());
        let err = check(&b).unwrap_err();
        assert!(err.contains("loops"), "{err}");
    }
}
