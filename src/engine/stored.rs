//! A `Decimal` in serde as its 16 bytes, exactly: rust_decimal's own serde
//! writes text and reads it back with `deserialize_any`, which a compact
//! format such as postcard (what `build` keeps checked guides in) cannot
//! serve. Used as `#[serde(with = "stored")]` on the engine's inputs.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    value.serialize().serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    <[u8; 16]>::deserialize(d).map(Decimal::deserialize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Holds(#[serde(with = "super")] Decimal);

    #[test]
    fn decimals_come_back_exactly() {
        for text in [
            "0",
            "-0.00",
            "0.000000000000001",
            "84793.03",
            "-79228162514264337593543950335",
        ] {
            let d: Decimal = text.parse().unwrap();
            let bytes = postcard::to_stdvec(&Holds(d)).unwrap();
            let back: Holds = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back.0.to_string(), d.to_string(), "{text}");
            assert_eq!(back.0.scale(), d.scale());
        }
    }
}
