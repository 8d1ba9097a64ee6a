//! Refusing session folders on network file systems, where SQLite's WAL is unsafe.

use std::path::Path;

const NETWORK: [&str; 12] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "lustre",
    "fuse.rclone",
];

/// The network file system type holding `dir`, if it is on one (Linux: /proc/mounts).
pub fn network_fs(dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    fs_of(&dir, &mounts).filter(|fs| NETWORK.contains(&fs.as_str()))
}

/// The file system type of the longest mount point holding `dir`, from a mounts table.
fn fs_of(dir: &Path, mounts: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mounts.lines() {
        let mut parts = line.split_whitespace();
        let (Some(_), Some(point), Some(fs)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let point = point.replace("\\040", " ");
        if dir.starts_with(&point) && best.as_ref().is_none_or(|(len, _)| point.len() >= *len) {
            best = Some((point.len(), fs.to_string()));
        }
    }
    best.map(|(_, fs)| fs)
        .filter(|fs| NETWORK.contains(&fs.as_str()))
}
