//! Crash safety: a build killed with SIGKILL at any moment leaves `site/`
//! either the previous complete site or the new complete one — never half of
//! each — and whatever temporary folder it left behind does not stop the
//! next build, which also cleans it up.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::support::{tree, Project};

/// Writes `n` interlinked pages whose text carries `version`, so that the
/// sites of two versions differ in every page.
fn write_content(root: &Path, n: usize, version: &str) {
    let content = root.join("content");
    if content.exists() {
        fs::remove_dir_all(&content).unwrap();
    }
    fs::create_dir_all(content.join("notes")).unwrap();
    fs::write(
        content.join("_index.md"),
        format!("# Home {version}\n\nStart at [note 0](notes/n0.md).\n"),
    )
    .unwrap();
    for i in 0..n {
        let next = (i + 1) % n;
        let body = format!(
            "---\ntitle: Note {i} {version}\nkind: topic\nsummary: Note {i}.\n---\n## Part\n\n{}See [note {next}](n{next}.md#part).\n",
            format!("Text of note {i} in version {version}. ").repeat(40)
        );
        fs::write(content.join(format!("notes/n{i}.md")), body).unwrap();
    }
}

fn leftovers(root: &Path) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site."))
        .collect()
}

fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(root)
        .args(["build", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        leftovers(root).is_empty(),
        "a finished build leaves no temporary folder: {:?}",
        leftovers(root)
    );
    tree(&root.join("site"))
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_never_a_mix() {
    let p = Project::empty();
    let root = p.path();
    const PAGES: usize = 600;
    write_content(root, PAGES, "A");
    let site_a = build(root);
    write_content(root, PAGES, "B");
    let t = Instant::now();
    let site_b = build(root);
    let full = t.elapsed();
    assert_ne!(site_a, site_b);

    // Kill builds at moments spread over a whole build (fixed pseudo-random
    // sequence, so a failure can be reproduced), alternating the version the
    // killed build was making.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut previous = site_b.clone();
    let (mut old_seen, mut new_seen) = (0, 0);
    for round in 0..24 {
        let (version, new_site) = if round % 2 == 0 {
            ("A", &site_a)
        } else {
            ("B", &site_b)
        };
        write_content(root, PAGES, version);
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = full.mul_f64((state >> 33) as f64 / (1u64 << 31) as f64 * 1.2);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .current_dir(root)
            .args(["build", "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = tree(&root.join("site"));
        if now == previous {
            old_seen += 1;
        } else if &now == new_site {
            new_seen += 1;
        } else {
            panic!("round {round}: killed after {delay:?}, site/ is neither the previous nor the new site");
        }
        // The next build must succeed whatever was left behind.
        previous = build(root);
        assert_eq!(&previous, new_site);
    }
    // Both outcomes happened, so the kills did land inside builds.
    assert!(
        old_seen > 0,
        "no kill landed before the swap ({new_seen} after)"
    );
}
