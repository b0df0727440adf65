//! Generated text in the README must match what it is generated from.

use crate::common::root;

const BEGIN: &str = "<!-- BEGIN GENERATED: data dictionary -->";
const END: &str = "<!-- END GENERATED -->";

#[test]
fn stale_readme_data_dictionary() {
    let path = root().join("README.md");
    let text = std::fs::read_to_string(&path).expect("README.md");
    let (Some(b), Some(e)) = (text.find(BEGIN), text.find(END)) else {
        panic!("README.md lacks the generated data dictionary markers");
    };
    let current = &text[b + BEGIN.len()..e];
    let wanted = format!(
        "\n{}\n",
        yosan_schemas::data_dictionary_markdown().trim_end()
    );
    if current == wanted {
        return;
    }
    if std::env::var_os("YOSAN_BLESS").is_some() {
        let new = format!("{}{}{}", &text[..b + BEGIN.len()], wanted, &text[e..]);
        std::fs::write(&path, new).expect("write README.md");
        return;
    }
    panic!("the data dictionary in README.md is stale: run `make bless`");
}
