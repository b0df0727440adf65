//! Normalisers (filled in next).
