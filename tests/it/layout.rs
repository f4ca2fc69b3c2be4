//! The source layout is the pipeline: no top-level module of `src/` uses a
//! module that uses it back, directly or through others, so each step can be
//! read (and changed) knowing only the steps before it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The top-level module a file of `src/` belongs to (`links` for
/// `src/links/index.rs`), or `None` for the crate root and the binary.
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// `text` without its unit tests (a `#[cfg(test)] mod …` block, which the
/// house puts at the end of a file) and without comments, whose doc links
/// name modules without using them.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod ") && next.ends_with('{'))
        {
            break;
        }
        let line = line.split("//").next().unwrap_or("");
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// The top-level modules named by the paths `crate::a…`, `crate::{a, b…}`
/// and (from a top-level file, whose parent is the crate root) `super::a…`.
fn used_modules(code: &str, top_level_file: bool) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut prefixes = vec!["crate::"];
    if top_level_file {
        prefixes.push("super::");
    }
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // The names at the group's first level.
                let mut depth = 0;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            used.insert(ident(&group[i..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                used.insert(ident(rest));
            }
        }
    }
    used.remove("self");
    used.remove("");
    used
}

/// For each top-level module, the other top-level modules its code uses.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| module_of(f.strip_prefix(src).unwrap()))
        .collect();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let Some(module) = module_of(rel) else {
            continue;
        };
        let top_level_file = rel.components().count() == 1 || rel.ends_with("mod.rs");
        let code = code_of(&fs::read_to_string(&file).unwrap());
        let entry = deps.entry(module.clone()).or_default();
        for used in used_modules(&code, top_level_file) {
            if used != module && modules.contains(&used) {
                entry.insert(used);
            }
        }
    }
    deps
}

/// A cycle among `deps`, as the modules along it, if there is one.
fn cycle(deps: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        deps: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in deps.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, deps, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    deps.keys()
        .find_map(|m| visit(m, deps, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_uses_a_module_that_uses_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let deps = dependencies(&src);
    // The check sees the uses it must see.
    assert!(deps["markdown"].contains("links"), "{deps:?}");
    assert!(deps["build"].contains("render"), "{deps:?}");
    if let Some(c) = cycle(&deps) {
        panic!("import cycle: {}", c.join(" → "));
    }
}

#[test]
fn the_check_finds_uses_written_every_way_and_the_cycles_they_make() {
    let code = code_of(
        "use crate::{a::X, b::{self, Y}};\nuse super::c;\nfn f() { crate::d::g(); }\n\
         // crate::e in a comment\n#[cfg(test)]\nmod tests {\n    use crate::f;\n}\n",
    );
    let used: Vec<String> = used_modules(&code, true).into_iter().collect();
    assert_eq!(used, ["a", "b", "c", "d"]);
    let deps = |pairs: &[(&str, &str)]| {
        let mut d: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            d.entry(a.to_string()).or_default().insert(b.to_string());
        }
        d
    };
    assert_eq!(cycle(&deps(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        cycle(&deps(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
