//! Codes stored as text — statuses, roles, kinds — as Rust enums with one code and one Russian
//! label each. `codes!` declares such an enum: it is stored and read as its code (a `text`
//! column with a CHECK constraint in the migration), parsed from a form by its code, and shown
//! by its label wherever the page speaks of it. A code the enum does not know is an error when
//! the row is read, never a silent empty label.
//!
//! ```ignore
//! crate::codes! {
//!     /// Where an order stands.
//!     pub enum OrderStatus: "order status" {
//!         Draft = "draft" => "черновик",
//!         Approved = "approved" => "утверждён",
//!     }
//! }
//! ```

#[macro_export]
macro_rules! codes {
    ($(#[$meta:meta])* $vis:vis enum $name:ident : $what:literal {
        $($(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the order they are declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and sent by forms.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The one Russian word for it, wherever a page shows it.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// (code, label) of every value, for a select's choices.
            pub fn table() -> Vec<(&'static str, &'static str)> {
                $name::ALL.iter().map(|s| (s.code(), s.label())).collect()
            }

            /// The label of a code, or "" for an unknown one (for codes read as text).
            pub fn label_of(code: &str) -> &'static str {
                $name::parse(code).map_or("", $name::label)
            }

            /// SQL that turns the code in `column` into its label (for a report built in SQL).
            pub fn sql_label(column: &str) -> String {
                let arms: String = $name::ALL
                    .iter()
                    .map(|s| format!(" WHEN '{}' THEN '{}'", s.code(), s.label()))
                    .collect();
                format!("CASE {column}{arms} END")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                $name::parse(code).ok_or_else(|| format!("unknown {} {code:?}", $what).into())
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.code(), buf)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} {code:?}", $what))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::codes! {
        enum Sample: "sample" {
            One = "one" => "один",
            Two = "two" => "два",
        }
    }

    #[test]
    fn a_code_goes_both_ways_and_has_one_label() {
        for s in Sample::ALL {
            assert_eq!(Sample::parse(s.code()), Some(*s));
        }
        assert_eq!(Sample::parse("three"), None);
        assert_eq!(Sample::label_of("two"), "два");
        assert_eq!(Sample::label_of("three"), "");
        assert_eq!(Sample::table(), vec![("one", "один"), ("two", "два")]);
        assert_eq!(Sample::Two.to_string(), "два");
        assert_eq!(
            Sample::sql_label("x.s"),
            "CASE x.s WHEN 'one' THEN 'один' WHEN 'two' THEN 'два' END"
        );
        let parsed: Sample = serde_json::from_str("\"two\"").unwrap();
        assert_eq!(parsed, Sample::Two);
        assert!(serde_json::from_str::<Sample>("\"x\"").is_err());
        assert_eq!(serde_json::to_string(&Sample::One).unwrap(), "\"one\"");
    }
}
