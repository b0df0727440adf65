//! A check of an OLE2 compound file (an XLS workbook, or an encrypted OOXML package) before
//! calamine opens it.
//!
//! calamine reads a compound file, and for XLS the whole workbook, when it opens it, and trusts
//! what a hostile file controls:
//! - the sector chains of the compound file, which it follows without looking for cycles (a chain
//!   that loops grows without end), and the DIFAT, from which it loads as many allocation-table
//!   sectors as listed (a few kilobytes can list gigabytes);
//! - a worksheet's `DIMENSIONS` record, from which it reserves memory for every cell the record
//!   claims (a 5 KB file can ask for gigabytes, and a failed allocation aborts the process);
//! - the positions of the cells, from whose bounding box it builds a dense grid (one cell at `A1`
//!   and one at row 65,536, column 65,536 make four billion).
//!
//! This module follows the compound file exactly as calamine 0.38 does — header, DIFAT, FAT,
//! directory, mini stream, then the `Workbook` (or `Book`) stream, reading the file through the
//! same sequence of reads, so that the sectors it sees are the sectors calamine sees — refusing
//! chains that loop, sectors calamine would slice out of range, and allocation tables larger than
//! the file. For XLS it then walks the BIFF records of every worksheet substream as calamine does
//! and refuses a `DIMENSIONS` record claiming more cells than the format holds (65,536 rows × 256
//! columns), and a sheet whose dense grids (values, formulas) or reservation would take more bytes
//! than the limit on expanded sizes. A file calamine refuses on its own (no signature, a sector
//! past the end, ...) passes: calamine's error says what is wrong with it.

use std::io::{Cursor, Read};

/// Cells a BIFF8 worksheet can hold: 65,536 rows × 256 columns.
pub const MAX_CELLS: u64 = 65_536 * 256;

/// The signature of an OLE2 compound file.
pub const MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
const RESERVED: u32 = 0xFFFF_FFFA;

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The structure is damaged in a way calamine would not survive.
    Malformed(String),
    /// A worksheet would take more memory than the limit.
    TooLarge {
        /// What would be allocated.
        what: String,
        /// Its size in bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
}

/// How following the file stopped.
enum Stop {
    /// calamine would fail here with an error of its own: the file is left to it.
    Calamine,
    Refuse(Refusal),
}

fn malformed(message: impl Into<String>) -> Stop {
    Stop::Refuse(Refusal::Malformed(message.into()))
}

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

/// The little-endian words of `b`, which calamine asserts to be whole.
fn words(b: &[u8], what: &str) -> Result<Vec<u32>, Stop> {
    if !b.len().is_multiple_of(4) {
        return Err(malformed(format!(
            "the {what} ends in a partial sector ({} bytes)",
            b.len()
        )));
    }
    Ok(b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// Reads into `buf` until it is full or the reader is exhausted, as calamine's header read does.
fn read_full(r: &mut Cursor<&[u8]>, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// calamine's sector cache: sector `id` is bytes `id × size ..` of `data`, which is filled from
/// the reader as far as a request needs (and padded with zeros past the end of the file).
struct Sectors {
    data: Vec<u8>,
    size: usize,
    maxid: u32,
}

impl Sectors {
    fn get(&mut self, id: u32, r: &mut Cursor<&[u8]>) -> Result<&[u8], Stop> {
        if self.maxid < id {
            return Err(Stop::Calamine);
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        if end > self.data.len() {
            let mut len = self.data.len();
            self.data.resize(end, 0);
            while len < end {
                let read = r.read(&mut self.data[len..end]).unwrap_or(0);
                if read == 0 {
                    if start > len {
                        return Err(malformed(format!(
                            "sector {id} lies past the end of the file"
                        )));
                    }
                    return Ok(&self.data[start..len]);
                }
                len += read;
            }
        }
        Ok(&self.data[start..end])
    }

    /// The bytes of a chain, at most `len` of them. A chain that visits more sectors than the
    /// table or the file has loops, and is refused; so is one that leaves the table.
    fn chain(
        &mut self,
        mut id: u32,
        table: &[u32],
        r: &mut Cursor<&[u8]>,
        len: usize,
    ) -> Result<Vec<u8>, Stop> {
        let bound = table.len().min(self.maxid as usize + 1) + 1;
        let mut out = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > bound {
                return Err(malformed("a sector chain loops"));
            }
            let sector = self.get(id, r)?;
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            id = *table
                .get(id as usize)
                .ok_or_else(|| malformed(format!("sector {id} is outside the allocation table")))?;
        }
        Ok(out)
    }
}

/// A directory entry: name, first sector, length.
struct Entry {
    name: String,
    start: u32,
    len: usize,
}

/// A compound file opened as calamine opens it.
struct Compound<'a> {
    reader: Cursor<&'a [u8]>,
    sectors: Sectors,
    fat: Vec<u32>,
    mini: Sectors,
    mini_fat: Vec<u32>,
    entries: Vec<Entry>,
}

impl<'a> Compound<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, Stop> {
        let mut reader = Cursor::new(bytes);
        let mut header = [0u8; 512];
        if read_full(&mut reader, &mut header) < 512 || !header.starts_with(MAGIC) {
            return Err(Stop::Calamine);
        }
        let version = u16_at(&header, 26);
        let size = match u16_at(&header, 30) {
            9 => 512usize,
            12 => {
                let mut rest = [0u8; 4096 - 512];
                if reader.read_exact(&mut rest).is_err() {
                    return Err(Stop::Calamine);
                }
                4096
            }
            _ => return Err(Stop::Calamine),
        };
        if u16_at(&header, 32) != 6 {
            return Err(Stop::Calamine);
        }
        let dir_start = u32_at(&header, 48);
        let mini_fat_start = u32_at(&header, 60);
        let mini_fat_len = u32_at(&header, 64) as usize;
        let maxid = bytes.len() / size;
        let mut sectors = Sectors {
            data: Vec::new(),
            size,
            maxid: maxid as u32,
        };

        let mut difat = words(&header[76..512], "header")?;
        let mut id = u32_at(&header, 68);
        let mut difat_sectors = 0usize;
        while id < RESERVED {
            difat_sectors += 1;
            if difat_sectors > maxid.saturating_add(1) {
                return Err(Stop::Calamine);
            }
            difat.extend(words(sectors.get(id, &mut reader)?, "DIFAT")?);
            id = difat.pop().ok_or(Stop::Calamine)?;
        }
        let fat_sectors = difat.iter().filter(|id| **id < DIFSECT).count();
        if fat_sectors > maxid + 1 {
            return Err(malformed(format!(
                "the DIFAT lists {fat_sectors} allocation-table sectors, more than the file's {} sectors",
                maxid + 1
            )));
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            fat.extend(words(sectors.get(id, &mut reader)?, "allocation table")?);
        }

        let dirs = sectors.chain(dir_start, &fat, &mut reader, usize::MAX)?;
        let entries: Vec<Entry> = dirs
            .chunks_exact(128)
            .map(|e| {
                // Decoded as calamine decodes it (a byte-order mark switches the encoding),
                // cut at the first NUL.
                let mut name = encoding_rs::UTF_16LE.decode(&e[..64]).0.into_owned();
                if let Some(nul) = name.find('\0') {
                    name.truncate(nul);
                }
                let len = if size == 512 {
                    u32_at(e, 120) as usize
                } else {
                    (u32_at(e, 120) as usize) | ((u32_at(e, 124) as usize) << 32)
                };
                Entry {
                    name,
                    start: u32_at(e, 116),
                    len,
                }
            })
            .collect();
        match entries.first() {
            None => return Err(Stop::Calamine),
            Some(root) if version != 3 && root.start == ENDOFCHAIN => return Err(Stop::Calamine),
            Some(_) => {}
        }
        let (mini_fat, mini_stream) = if mini_fat_len > 0 {
            let stream = sectors.chain(entries[0].start, &fat, &mut reader, entries[0].len)?;
            let table = sectors.chain(
                mini_fat_start,
                &fat,
                &mut reader,
                mini_fat_len.saturating_mul(size),
            )?;
            (words(&table, "mini allocation table")?, stream)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Compound {
            reader,
            sectors,
            fat,
            mini: Sectors {
                data: mini_stream,
                size: 64,
                maxid: (maxid * 8) as u32,
            },
            mini_fat,
            entries,
        })
    }

    /// A stream by name (ASCII case ignored), as calamine's `get_stream` reads it.
    fn stream(&mut self, name: &str) -> Result<Vec<u8>, Stop> {
        let Some(e) = self
            .entries
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name))
        else {
            return Err(Stop::Calamine);
        };
        let (start, len) = (e.start, e.len);
        if len < 4096 {
            self.mini
                .chain(start, &self.mini_fat, &mut self.reader, len)
        } else {
            self.sectors.chain(start, &self.fat, &mut self.reader, len)
        }
    }
}

/// One BIFF record as calamine's record reader yields it: type, data, and the data of the
/// CONTINUE records that follow it (which it swallows). `None` where calamine reports an error.
fn records(stream: &[u8]) -> impl Iterator<Item = Option<(u32, &[u8])>> {
    let mut rest = stream;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || rest.is_empty() {
            return None;
        }
        if rest.len() < 4 {
            failed = true;
            return Some(None);
        }
        let typ = u16_at(rest, 0);
        let len = u16_at(rest, 2) as usize;
        if rest.len() < len + 4 {
            failed = true;
            return Some(None);
        }
        let data = &rest[4..4 + len];
        rest = &rest[4 + len..];
        if rest.len() > 4 && u16_at(rest, 0) == 0x003C {
            while rest.len() > 4 && u16_at(rest, 0) == 0x003C {
                let len = u16_at(rest, 2) as usize;
                if rest.len() < len + 4 {
                    failed = true;
                    return Some(None);
                }
                rest = &rest[4 + len..];
            }
        }
        Some(Some((typ, data)))
    })
}

/// Cells a `DIMENSIONS` record makes calamine reserve room for, computed as calamine does
/// (with its wrapping arithmetic).
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
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as usize as u64;
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as usize as u64;
    Some(rows.saturating_mul(cols))
}

/// The bounding box of cell positions, as `Range::from_sparse` computes it.
#[derive(Default)]
struct BoundingBox {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl BoundingBox {
    fn add(&mut self, row: u32, col: u32) {
        let grow = |b: &mut Option<(u32, u32)>, v: u32| {
            *b = Some(match *b {
                None => (v, v),
                Some((lo, hi)) => (lo.min(v), hi.max(v)),
            })
        };
        grow(&mut self.rows, row);
        grow(&mut self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => ((r1 - r0) as u64 + 1) * ((c1 - c0) as u64 + 1),
            _ => 0,
        }
    }
}

/// The BIFF name of a BOUNDSHEET record, for messages.
fn sheet_name(data: &[u8]) -> String {
    let cch = data.get(6).copied().unwrap_or(0) as usize;
    let flags = data.get(7).copied().unwrap_or(0);
    let chars = data.get(8..).unwrap_or(&[]);
    if flags & 1 != 0 {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(cch).map(|b| *b as char).collect()
    }
}

/// Checks one worksheet substream.
fn check_sheet(stream: &[u8], name: &str, limit: u64) -> Result<(), Refusal> {
    let cell_bytes = std::mem::size_of::<calamine::Data>() as u64;
    let reserved_bytes = std::mem::size_of::<calamine::Cell<calamine::Data>>() as u64;
    let formula_bytes = std::mem::size_of::<String>() as u64;
    let mut values = BoundingBox::default();
    let mut formulas = BoundingBox::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    let too_large = |what: String, bytes: u64| {
        if bytes > limit {
            Err(Refusal::TooLarge { what, bytes, limit })
        } else {
            Ok(())
        }
    };
    for record in records(stream) {
        // calamine gives up on the whole workbook where its record reader fails.
        let Some((typ, data)) = record else { break };
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let at = |data: &[u8]| (u16_at(data, 0), u16_at(data, 2));
        match typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x0200 => {
                if let Some(cells) = claimed_cells(data) {
                    if cells > MAX_CELLS {
                        return Err(Refusal::Malformed(format!(
                            "sheet {name:?} declares {cells} cells (DIMENSIONS), more than an XLS sheet can hold ({MAX_CELLS})"
                        )));
                    }
                    too_large(
                        format!("sheet {name:?} declares {cells} cells (DIMENSIONS)"),
                        cells * reserved_bytes,
                    )?;
                }
            }
            // Number, Label, RString, BoolErr, Rk, LabelSst: one cell each.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if data.len() >= 4 => {
                let (r, c) = at(data);
                values.add(r, c);
            }
            // MulRk: a run of cells in one row.
            0x00BD if data.len() >= 12 => {
                let (r, c) = at(data);
                let n = (data.len() - 6) / 6;
                values.add(r, c);
                values.add(r, c + n as u32 - 1);
            }
            // Formula: its value and its formula.
            0x0006 if data.len() >= 20 => {
                let (r, c) = at(data);
                values.add(r, c);
                formulas.add(r, c);
            }
            0x000A => break,
            _ => {}
        }
    }
    too_large(
        format!("sheet {name:?} spans {} cells", values.cells()),
        values.cells().saturating_mul(cell_bytes),
    )?;
    too_large(
        format!(
            "the formulas of sheet {name:?} span {} cells",
            formulas.cells()
        ),
        formulas.cells().saturating_mul(formula_bytes),
    )
}

/// Ok when calamine can open the file within bounded memory (`limit` bytes for any one dense
/// grid or reservation of a worksheet) and without following a damaged structure; otherwise why
/// not. `xls`: the file is read as an XLS workbook (its worksheets are checked too); otherwise
/// only the compound file is opened (calamine does so to detect an encrypted OOXML package). A
/// file that is no compound file passes: calamine refuses it on its own.
pub fn check(bytes: &[u8], xls: bool, limit: u64) -> Result<(), Refusal> {
    let result = (|| -> Result<(), Stop> {
        if !bytes.starts_with(MAGIC) {
            return Ok(());
        }
        let mut cfb = Compound::open(bytes)?;
        if !xls {
            return Ok(());
        }
        let stream = match cfb.stream("Workbook") {
            Err(Stop::Calamine) => cfb.stream("Book")?,
            other => other?,
        };
        // Worksheet substreams start where the BOUNDSHEET records of the globals say.
        let mut sheets = Vec::new();
        for record in records(&stream) {
            let Some((typ, data)) = record else {
                return Err(Stop::Calamine);
            };
            match typ {
                // FILEPASS: the rest is encrypted, and calamine stops with its own error.
                0x002F if u16_at(data, 0) != 0 => return Err(Stop::Calamine),
                0x0085 => {
                    // calamine reads the visibility and type bytes unchecked, then slices the
                    // stream at the offset.
                    if data.len() < 6 {
                        return Err(malformed(format!(
                            "a BOUNDSHEET record is {} bytes long, too short for a sheet",
                            data.len()
                        )));
                    }
                    let pos = u32_at(data, 0) as usize;
                    if pos > stream.len() {
                        return Err(malformed(format!(
                            "sheet {:?} starts at byte {pos}, past the end of the {}-byte workbook stream",
                            sheet_name(data),
                            stream.len()
                        )));
                    }
                    sheets.push((pos, sheet_name(data)));
                }
                0x000A => break,
                _ => {}
            }
        }
        for (pos, name) in sheets {
            check_sheet(&stream[pos..], &name, limit).map_err(Stop::Refuse)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) | Err(Stop::Calamine) => Ok(()),
        Err(Stop::Refuse(r)) => Err(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: u64 = 256 << 20;

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
        assert!(check(b"", true, LIMIT).is_ok());
        assert!(check(&[0u8; 600], true, LIMIT).is_ok());
        assert!(check(MAGIC, true, LIMIT).is_ok());
        let mut b = MAGIC.to_vec();
        b.resize(512, 0);
        assert!(check(&b, true, LIMIT).is_ok(), "sector shift 0");
    }

    /// A compound file of `n` 512-byte sectors after the header: the FAT in sector 1, whose
    /// entries are `fat`, the directory starting at sector 0.
    fn compound(fat: &[u32], n: usize) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.resize(512 * (n + 1), 0);
        b[26] = 4;
        b[30] = 9;
        b[32] = 6;
        b[48..52].copy_from_slice(&0u32.to_le_bytes());
        b[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for i in 0..109 {
            b[76 + 4 * i..80 + 4 * i].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        b[76..80].copy_from_slice(&1u32.to_le_bytes());
        let at = 512 + 512;
        for i in 0..128 {
            let v = fat.get(i).copied().unwrap_or(u32::MAX);
            b[at + 4 * i..at + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    #[test]
    fn a_looping_chain_is_refused() {
        // Directory: sector 0 → 2 → 0 → ...
        let b = compound(&[2, 0xFFFF_FFFD, 0], 3);
        let err = check(&b, true, LIMIT).unwrap_err();
        assert!(
            matches!(&err, Refusal::Malformed(m) if m.contains("loops")),
            "{err:?}"
        );
        // The same chain ending is fine as far as the compound file goes (no Workbook stream:
        // left to calamine).
        let b = compound(&[2, 0xFFFF_FFFD, ENDOFCHAIN], 3);
        assert_eq!(check(&b, true, LIMIT), Ok(()));
    }

    #[test]
    fn an_encrypted_package_is_still_reported_as_encrypted() {
        // An encrypted OOXML workbook is a compound file with an EncryptedPackage stream.
        let mut b = compound(&[ENDOFCHAIN, 0xFFFF_FFFD], 3);
        let mut entry = |i: usize, name: &str| {
            let at = 512 + 128 * i;
            for (k, u) in name.encode_utf16().enumerate() {
                b[at + 2 * k..at + 2 * k + 2].copy_from_slice(&u.to_le_bytes());
            }
            b[at + 116..at + 120].copy_from_slice(&2u32.to_le_bytes());
        };
        entry(0, "Root Entry");
        entry(1, "EncryptedPackage");
        assert_eq!(check(&b, false, LIMIT), Ok(()));
        for format in [crate::Format::Xlsx, crate::Format::Xlsb] {
            let err = super::super::extract(&b, format, &crate::ExtractOptions::default()).err();
            assert_eq!(err.map(|e| e.code()), Some("sheet.encrypted"), "{format:?}");
        }
    }

    #[test]
    fn a_chain_leaving_the_table_is_refused() {
        // Sector 0 → 130: in the file (140 sectors), past the one-sector FAT (128 entries).
        let b = compound(&[130, 0xFFFF_FFFD], 140);
        let err = check(&b, false, LIMIT).unwrap_err();
        assert!(
            matches!(&err, Refusal::Malformed(m) if m.contains("outside")),
            "{err:?}"
        );
    }

    #[test]
    fn a_difat_listing_more_sectors_than_the_file_has_is_refused() {
        let mut b = compound(&[ENDOFCHAIN, 0xFFFF_FFFD], 3);
        for i in 0..109 {
            b[76 + 4 * i..80 + 4 * i].copy_from_slice(&1u32.to_le_bytes());
        }
        let err = check(&b, false, LIMIT).unwrap_err();
        assert!(
            matches!(&err, Refusal::Malformed(m) if m.contains("DIFAT")),
            "{err:?}"
        );
    }

    #[test]
    fn cells_far_apart_make_a_grid_too_large() {
        let mut sheet = Vec::new();
        let mut record = |typ: u16, data: &[u8]| {
            sheet.extend(typ.to_le_bytes());
            sheet.extend((data.len() as u16).to_le_bytes());
            sheet.extend(data);
        };
        record(0x0809, &[0, 6, 0x10, 0]);
        // Two Number cells: A1 and (65535, 65535).
        record(0x0203, &[0; 14]);
        let mut far = vec![0xFF; 4];
        far.extend([0; 10]);
        record(0x0203, &far);
        record(0x000A, &[]);
        let err = check_sheet(&sheet, "s", LIMIT).unwrap_err();
        assert!(
            matches!(&err, Refusal::TooLarge { bytes, .. } if *bytes > LIMIT),
            "{err:?}"
        );
        // In a nested substream (a chart), cells do not count.
        let mut nested = sheet[..8].to_vec();
        nested.extend([0x09, 0x08, 4, 0, 0, 6, 0x20, 0]);
        nested.extend(&sheet[8..]);
        assert_eq!(check_sheet(&nested, "s", LIMIT), Ok(()));
    }
}
