//! `--out` safety: the site folder is replaced as a whole, so dossier must
//! refuse any target whose replacement would destroy something else, and
//! must then delete nothing.

use std::fs;
use std::path::Path;

use crate::support::{tree, Project};

/// Runs a build with `--out out` (plus `env`) and asserts it is refused
/// with exit status 1 and that no file of the project changed.
fn refused(p: &Project, out: &str, env: &[(&str, &Path)]) -> String {
    let before = tree(p.path());
    let run = p.run_with_env(&["build", "--out", out], env);
    let stderr = run.stderr_redacted();
    assert_eq!(run.code, Some(1), "--out {out}: {stderr}");
    assert!(
        stderr.contains("error: refusing to write the site here"),
        "--out {out}: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(tree(p.path()) == before, "--out {out}: files changed");
    stderr
}

#[test]
fn refuses_the_project_folder() {
    let p = Project::new("basic");
    let err = refused(&p, ".", &[]);
    assert!(err.contains("it is or contains content"), "{err}");
}

#[test]
fn refuses_the_content_folder() {
    let p = Project::new("basic");
    refused(&p, "content", &[]);
    refused(&p, "content/site", &[]);
}

#[test]
fn refuses_the_filesystem_root() {
    let p = Project::new("basic");
    let err = refused(&p, "/", &[]);
    assert!(err.contains("filesystem root"), "{err}");
}

#[test]
fn refuses_the_home_folder() {
    let p = Project::new("basic");
    // A stand-in home folder, so that a regression cannot touch the real one.
    let home = p.path().join("home");
    fs::create_dir(&home).unwrap();
    fs::write(home.join(".profile"), "# mine\n").unwrap();
    let err = refused(&p, home.to_str().unwrap(), &[("HOME", &home)]);
    assert!(err.contains("home folder"), "{err}");
}

#[test]
fn refuses_a_folder_dossier_did_not_write() {
    let p = Project::new("basic");
    fs::create_dir(p.path().join("docs")).unwrap();
    fs::write(p.path().join("docs/notes.txt"), "not generated\n").unwrap();
    let err = refused(&p, "docs", &[]);
    insta::assert_snapshot!(err);
}

#[test]
fn replaces_its_own_output_and_an_empty_folder() {
    let p = Project::new("basic");
    fs::create_dir(p.path().join("public")).unwrap();
    p.build(&["--out", "public"]).success();
    assert!(p.path().join("public/.dossier-site").is_file());
    fs::write(p.path().join("public/stale.html"), "old").unwrap();
    p.build(&["--out", "public"]).success();
    assert!(
        !p.path().join("public/stale.html").exists(),
        "the whole folder is replaced"
    );
}

#[cfg(unix)]
#[test]
fn refuses_a_new_folder_below_a_link_into_the_content_folder() {
    let p = Project::new("basic");
    std::os::unix::fs::symlink("content", p.path().join("link-to-content")).unwrap();
    let err = refused(&p, "link-to-content/sub", &[]);
    assert!(err.contains("it is inside content"), "{err}");
    // Deeper too: no folder on the way exists yet.
    refused(&p, "link-to-content/a/b/c", &[]);
    std::os::unix::fs::symlink("templates", p.path().join("link-to-templates")).unwrap();
    fs::create_dir(p.path().join("templates")).unwrap();
    let err = refused(&p, "link-to-templates/site", &[]);
    assert!(err.contains("it is inside templates"), "{err}");
}

/// Two builds into the same `--out` at once, twenty times over: each waits
/// for the other (or fails saying why), and the site is a single build's.
#[test]
fn concurrent_builds_into_one_folder_take_turns() {
    let p = Project::new("basic");
    p.build(&["--out", "single"]).success();
    let expected = tree(&p.path().join("single"));
    let bin = env!("CARGO_BIN_EXE_dossier");
    for round in 0..20 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                std::process::Command::new(bin)
                    .args(["build", "--out", "site"])
                    .current_dir(p.path())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "round {round}: a build failed:\n{stderr}"
            );
            assert!(!stderr.contains("No such file"), "{stderr}");
        }
        assert!(tree(&p.path().join("site")) == expected, "round {round}");
        let beside: Vec<String> = fs::read_dir(p.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".site"))
            .collect();
        assert!(beside.is_empty(), "round {round}: left beside: {beside:?}");
    }
}

/// `build -q` waits for the lock as any build does, but says nothing.
#[test]
fn a_quiet_build_waits_for_the_lock_silently() {
    let p = Project::new("basic");
    let held = fs::File::create(p.path().join(".site.lock")).unwrap();
    held.lock().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "-q", "--out", "site"])
        .current_dir(p.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!p.path().join("site").exists(), "built while locked");
    drop(held);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert!(p.path().join("site/index.html").is_file());
}

/// A build that finds the site locked says once who holds it, waits, and
/// builds once the lock is free.
#[test]
fn a_build_waits_for_the_lock_and_says_so() {
    use std::io::{BufRead, Write};
    let p = Project::new("basic");
    // Held as another build holds it: a lock on the file beside the site,
    // which names the holder.
    let mut held = fs::File::create(p.path().join(".site.lock")).unwrap();
    held.lock().unwrap();
    writeln!(held, "4242").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--out", "site"])
        .current_dir(p.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert_eq!(
        first,
        "waiting for another dossier build (pid 4242) writing site to finish\n"
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "built while locked");
    assert!(!p.path().join("site").exists());
    drop(held);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    assert!(!rest.contains("waiting"), "said once: {rest}");
    assert!(p.path().join("site/index.html").is_file());
    assert!(
        !p.path().join(".site.lock").exists(),
        "the lock file is removed"
    );
}
