//! Pushes the graph into a running FalkorDB server: the [`super::cypher`] statements, sent
//! one `GRAPH.QUERY` per batch over the Redis protocol (RESP2, written here: it is a few
//! lines and needs no client crate). Idempotent like the script: pushing twice changes
//! nothing. Every socket operation has a timeout, so a dead server is an error, not a hang.

use super::cypher;
use crate::graph::KnowledgeGraph;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Where to push: `redis://[:PASSWORD@]HOST[:PORT]/GRAPH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host name or address.
    pub host: String,
    /// TCP port (6379 when the URL gives none).
    pub port: u16,
    /// The graph key.
    pub graph: String,
    /// Password for `AUTH`, if the URL has one.
    pub password: Option<String>,
}

impl std::str::FromStr for Target {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Target> {
        let bad = |why: &str| crate::Error::InvalidValue {
            what: "FalkorDB URL",
            value: s.into(),
            expected: format!("redis://[:PASSWORD@]HOST[:PORT]/GRAPH ({why})"),
        };
        let rest = s
            .strip_prefix("redis://")
            .ok_or_else(|| bad("it must start with redis://"))?;
        let (authority, graph) = rest
            .split_once('/')
            .ok_or_else(|| bad("the graph name is missing"))?;
        if graph.is_empty() || graph.contains('/') {
            return Err(bad("the graph name is missing"));
        }
        let (password, hostport) = match authority.rsplit_once('@') {
            Some((user, hp)) => {
                let pw = user.split_once(':').map(|x| x.1).unwrap_or(user);
                (Some(pw.to_string()).filter(|p| !p.is_empty()), hp)
            }
            None => (None, authority),
        };
        let port_of = |p: &str| {
            p.parse::<u16>()
                .map_err(|_| bad("the port is not a number"))
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or_else(|| bad("an IPv6 address needs a closing ]"))?;
            match after.strip_prefix(':') {
                Some(p) => (h, port_of(p)?),
                None if after.is_empty() => (h, 6379),
                None => return Err(bad("unexpected text after the address")),
            }
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, port_of(p)?),
                None => (hostport, 6379),
            }
        };
        if host.is_empty() {
            return Err(bad("the host is missing"));
        }
        Ok(Target {
            host: host.to_string(),
            port,
            graph: graph.to_string(),
            password,
        })
    }
}

/// What a push did, summed over the server's statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushStats {
    /// Statements sent.
    pub statements: usize,
    /// Nodes the server created.
    pub nodes_created: u64,
    /// Relationships the server created.
    pub relationships_created: u64,
    /// Properties the server set.
    pub properties_set: u64,
}

/// A RESP2 reply.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reply {
    Simple(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

fn protocol(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.into())
}

/// Encodes a command as a RESP array of bulk strings.
fn command(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The largest bulk string accepted from the server (512 MiB, Redis's own limit).
const MAX_BULK: i64 = 512 << 20;

/// Reads one reply (nesting bounded, lengths bounded by what the server sends).
fn read_reply(r: &mut dyn BufRead, depth: usize) -> std::io::Result<Reply> {
    if depth > 16 {
        return Err(protocol("reply nested too deeply"));
    }
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line)?;
    if line.len() < 3 || !line.ends_with(b"\r\n") {
        return Err(protocol("connection closed or malformed reply"));
    }
    let body = String::from_utf8_lossy(&line[1..line.len() - 2]).into_owned();
    let num = |b: &str| {
        b.parse::<i64>()
            .map_err(|_| protocol(format!("bad length {b:?}")))
    };
    Ok(match line[0] {
        b'+' => Reply::Simple(body),
        b'-' => Reply::Error(body),
        b':' => Reply::Int(num(&body)?),
        b'$' => {
            let n = num(&body)?;
            if n < 0 {
                Reply::Bulk(None)
            } else if n > MAX_BULK {
                return Err(protocol(format!("reply of {n} bytes is too large")));
            } else {
                let mut buf = vec![0; n as usize + 2];
                r.read_exact(&mut buf)?;
                buf.truncate(n as usize);
                Reply::Bulk(Some(buf))
            }
        }
        b'*' => {
            let n = num(&body)?;
            if n < 0 {
                Reply::Array(None)
            } else {
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(read_reply(r, depth + 1)?);
                }
                Reply::Array(Some(items))
            }
        }
        other => return Err(protocol(format!("unknown reply type {:?}", other as char))),
    })
}

/// Adds the "Nodes created: 3"-style statistics found in a `GRAPH.QUERY` reply.
fn add_stats(reply: &Reply, stats: &mut PushStats) {
    match reply {
        Reply::Array(Some(items)) => items.iter().for_each(|i| add_stats(i, stats)),
        Reply::Bulk(Some(b)) => {
            let text = String::from_utf8_lossy(b);
            if let Some((name, value)) = text.split_once(':') {
                let n = value.trim().parse::<u64>().unwrap_or(0);
                match name.trim() {
                    "Nodes created" => stats.nodes_created += n,
                    "Relationships created" => stats.relationships_created += n,
                    "Properties set" => stats.properties_set += n,
                    _ => {}
                }
            }
        }
        Reply::Simple(s) => add_stats(&Reply::Bulk(Some(s.clone().into_bytes())), stats),
        _ => {}
    }
}

/// Pushes the graph; `progress(done, total)` is called after each statement.
pub fn push(
    graph: &KnowledgeGraph,
    target: &Target,
    timeout: Duration,
    progress: &mut dyn FnMut(usize, usize),
) -> std::io::Result<PushStats> {
    let statements = cypher::statements(graph);
    let addr = (target.host.as_str(), target.port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| protocol(format!("{} does not resolve", target.host)))?;
    let stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut call = |args: &[&str]| -> std::io::Result<Reply> {
        writer.write_all(&command(args))?;
        writer.flush()?;
        match read_reply(&mut reader, 0)? {
            Reply::Error(e) => Err(std::io::Error::other(format!(
                "FalkorDB refused {}: {e}",
                args[0]
            ))),
            r => Ok(r),
        }
    };
    if let Some(pw) = &target.password {
        call(&["AUTH", pw])?;
    }
    let mut stats = PushStats::default();
    progress(0, statements.len());
    for (i, st) in statements.iter().enumerate() {
        let reply = call(&["GRAPH.QUERY", &target.graph, &st.text])?;
        add_stats(&reply, &mut stats);
        stats.statements += 1;
        progress(i + 1, statements.len());
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_or_say_what_is_wrong() {
        let t = |host: &str, port, graph: &str, pw: Option<&str>| Target {
            host: host.into(),
            port,
            graph: graph.into(),
            password: pw.map(String::from),
        };
        for (url, expected) in [
            (
                "redis://127.0.0.1:6379/news",
                Some(t("127.0.0.1", 6379, "news", None)),
            ),
            ("redis://localhost/g", Some(t("localhost", 6379, "g", None))),
            (
                "redis://:s3cret@db:7000/g",
                Some(t("db", 7000, "g", Some("s3cret"))),
            ),
            ("redis://user:pw@db/g", Some(t("db", 6379, "g", Some("pw")))),
            ("redis://[::1]:6380/g", Some(t("::1", 6380, "g", None))),
            ("http://127.0.0.1/g", None),
            ("redis://127.0.0.1:6379", None),
            ("redis://127.0.0.1:port/g", None),
            ("redis:///g", None),
        ] {
            assert_eq!(url.parse::<Target>().ok(), expected, "{url}");
        }
    }

    #[test]
    fn resp_commands_and_replies_round_trip() {
        assert_eq!(
            command(&["GRAPH.QUERY", "g", "RETURN \"é\""]),
            b"*3\r\n$11\r\nGRAPH.QUERY\r\n$1\r\ng\r\n$11\r\nRETURN \"\xc3\xa9\"\r\n".to_vec()
        );
        for (wire, expected) in [
            (&b"+OK\r\n"[..], Reply::Simple("OK".into())),
            (b"-ERR bad\r\n", Reply::Error("ERR bad".into())),
            (b":42\r\n", Reply::Int(42)),
            (b"$-1\r\n", Reply::Bulk(None)),
            (b"$3\r\na\r\n\r\n", Reply::Bulk(Some(b"a\r\n".to_vec()))),
            (
                b"*2\r\n$16\r\nNodes created: 3\r\n*0\r\n",
                Reply::Array(Some(vec![
                    Reply::Bulk(Some(b"Nodes created: 3".to_vec())),
                    Reply::Array(Some(vec![])),
                ])),
            ),
        ] {
            let mut r = std::io::Cursor::new(wire);
            assert_eq!(read_reply(&mut r, 0).unwrap(), expected);
        }
        for wire in [
            &b""[..],
            b"?x\r\n",
            b"$5\r\nab\r\n",
            b"*1\r\n",
            b":x\r\n",
            b"$99999999999\r\n",
        ] {
            let mut r = std::io::Cursor::new(wire);
            assert!(read_reply(&mut r, 0).is_err(), "{wire:?}");
        }
    }

    #[test]
    fn statistics_are_summed_from_replies() {
        let reply = Reply::Array(Some(vec![Reply::Array(Some(vec![
            Reply::Bulk(Some(b"Nodes created: 3".to_vec())),
            Reply::Bulk(Some(b"Relationships created: 2".to_vec())),
            Reply::Bulk(Some(b"Properties set: 7".to_vec())),
            Reply::Bulk(Some(
                b"Query internal execution time: 0.5 milliseconds".to_vec(),
            )),
        ]))]));
        let mut s = PushStats::default();
        add_stats(&reply, &mut s);
        add_stats(&reply, &mut s);
        assert_eq!(
            (s.nodes_created, s.relationships_created, s.properties_set),
            (6, 4, 14)
        );
    }
}
