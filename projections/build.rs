// `sqlx::migrate!` embeds the migrations directory at compile time: a new migration must
// rebuild the crate even when no Rust source changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
