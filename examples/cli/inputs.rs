//! `extract`'s inputs: files, folders of pages, addresses, standard input.

use std::path::{Path, PathBuf};

use super::Format;

/// One thing to extract: a file, standard input, or an address.
#[derive(Clone)]
pub enum Job {
    File(PathBuf),
    Stdin,
    Url(String),
}

impl Job {
    /// How messages name the input.
    pub fn name(&self) -> String {
        match self {
            Job::File(p) => p.display().to_string(),
            Job::Stdin => "-".to_string(),
            Job::Url(u) => u.clone(),
        }
    }

    /// The output file in `dir` named after the input, with the format's extension.
    pub fn out_path(&self, dir: &Path, root: Option<&Path>, format: Format) -> PathBuf {
        let stem = match self {
            Job::File(p) => {
                let rel = root.and_then(|r| p.strip_prefix(r).ok()).unwrap_or(p);
                rel.with_extension("").to_string_lossy().replace(['/', '\\'], "__")
            }
            Job::Stdin => "stdin".to_string(),
            Job::Url(u) => {
                u.trim_start_matches("https://").trim_start_matches("http://").replace(['/', '?', '&', ':', '='], "_")
            }
        };
        dir.join(format!("{stem}.{}", format.extension()))
    }
}

/// The inputs, folders expanded to their pages in name order; each with
/// the folder it was found in, which names its output.
pub fn list(inputs: &[String]) -> Result<Vec<(Job, Option<PathBuf>)>, String> {
    let mut jobs = Vec::new();
    for input in inputs {
        if input == "-" {
            jobs.push((Job::Stdin, None));
        } else if input.starts_with("http://") || input.starts_with("https://") {
            jobs.push((Job::Url(input.clone()), None));
        } else {
            let path = PathBuf::from(input);
            if path.is_dir() {
                let mut files = Vec::new();
                walk(&path, &mut files).map_err(|e| format!("{input}: {e}"))?;
                files.sort();
                if files.is_empty() {
                    tracing::warn!(folder = %input, "no .html, .htm, .shtml or .txt file in the folder");
                }
                jobs.extend(files.into_iter().map(|f| (Job::File(f), Some(path.clone()))));
            } else {
                jobs.push((Job::File(path), None));
            }
        }
    }
    Ok(jobs)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["html", "htm", "shtml", "txt"].contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}
