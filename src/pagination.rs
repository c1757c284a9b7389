//! Lazy iteration over paginated lists.

use std::fmt;

use crate::error::{Error, PaginationError, Result};

/// One page of a list, as Clerk answers operations that return a bare list when asked with
/// `paginated=true` (`send_paged()`): the items and the number of all of them.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct PagedList<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// How many items there are in all, across pages.
    pub total_count: i64,
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// Skip this many items (`offset`).
    Offset(i64),
    /// The items after this id (`starting_after`); `None` for the first page.
    After(Option<String>),
}

impl Cursor {
    /// The first page of a list that takes both `offset` and `starting_after`: by cursor
    /// (from `starting_after`) when the list starts at the top and is ordered by creation time
    /// (`order_by` unset or `created_at` either way; the cursor follows that order), else by
    /// offset.
    pub(crate) fn first(
        offset: Option<i64>,
        order_by: Option<&str>,
        starting_after: Option<String>,
    ) -> Cursor {
        let offset = offset.unwrap_or(0);
        let by_creation =
            order_by.is_none_or(|o| matches!(o, "created_at" | "+created_at" | "-created_at"));
        if offset == 0 && by_creation {
            Cursor::After(starting_after)
        } else {
            Cursor::Offset(offset)
        }
    }
}

/// One page of a list, and the total when the endpoint reports it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page<T> {
    pub(crate) data: Vec<T>,
    pub(crate) total_count: Option<i64>,
}

type Fetch<T> = Box<dyn FnMut(&Cursor) -> Result<Page<T>> + Send>;

/// An iterator over every item of a list, fetching the next page only when the items of the
/// previous one are used up. Made by a list builder's `paginate()`.
///
/// It stops after a short or empty page, or once `total_count` items were seen. A page that
/// makes no progress (the server repeats a page) ends the walk with [`Error::Decode`], never a
/// loop. After an error the iterator is finished.
///
/// ```no_run
/// # fn main() -> clerk_backend_api::Result<()> {
/// # let clerk = clerk_backend_api::Clerk::from_env()?;
/// for user in clerk.users().list().limit(100).paginate().take(1_000) {
///     println!("{}", user?.id);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paginator does nothing until iterated"]
pub struct Paginator<T> {
    operation: &'static str,
    fetch: Fetch<T>,
    next: Option<Cursor>,
    items: std::vec::IntoIter<T>,
    page_size: i64,
    seen: i64,
    key: Option<fn(&T) -> &str>,
    last_key: Option<String>,
}

impl<T> Paginator<T> {
    /// `key` gives an item's id: the `starting_after` cursor, and the check for progress
    /// (items without an id are only bounded by short pages and `total_count`).
    pub(crate) fn new(
        operation: &'static str,
        first: Cursor,
        page_size: i64,
        key: Option<fn(&T) -> &str>,
        fetch: impl FnMut(&Cursor) -> Result<Page<T>> + Send + 'static,
    ) -> Self {
        Paginator {
            operation,
            fetch: Box::new(fetch),
            next: Some(first),
            items: Vec::new().into_iter(),
            page_size: page_size.max(1),
            seen: 0,
            key,
            last_key: None,
        }
    }

    fn fetch_next(&mut self) -> Option<Result<()>> {
        let cursor = self.next.take()?;
        let page = match (self.fetch)(&cursor) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        let n = i64::try_from(page.data.len()).unwrap_or(i64::MAX);
        let last = match self.key {
            Some(key) => page.data.last().map(|t| key(t).to_owned()),
            None => None,
        };
        if last.is_some() && last == self.last_key {
            return Some(Err(Error::Pagination(PaginationError::stalled(
                self.operation,
            ))));
        }
        self.seen += n;
        let more = n >= self.page_size && page.total_count.is_none_or(|total| self.seen < total);
        if more {
            self.next = match cursor {
                Cursor::Offset(o) => Some(Cursor::Offset(o.saturating_add(n))),
                Cursor::After(_) => Some(Cursor::After(last.clone())),
            };
        }
        self.last_key = last;
        self.items = page.data.into_iter();
        Some(Ok(()))
    }
}

impl<T> Iterator for Paginator<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            match self.fetch_next()? {
                Ok(()) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

impl<T> fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field("page_size", &self.page_size)
            .field("seen", &self.seen)
            .field("finished", &self.next.is_none())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(s: &String) -> &str {
        s
    }

    const KEY: Option<fn(&String) -> &str> = Some(key_of);

    fn pages(
        pages: Vec<Vec<&'static str>>,
        total: Option<i64>,
    ) -> impl FnMut(&Cursor) -> Result<Page<String>> + Send {
        let mut calls = 0;
        move |_c| {
            let data = pages.get(calls).cloned().unwrap_or_default();
            calls += 1;
            Ok(Page {
                data: data.into_iter().map(String::from).collect(),
                total_count: total,
            })
        }
    }

    #[test]
    fn the_first_page_is_by_cursor_only_from_the_top_in_creation_order() {
        let after = |s: &str| Cursor::After(Some(s.to_owned()));
        assert_eq!(Cursor::first(None, None, None), Cursor::After(None));
        assert_eq!(Cursor::first(Some(0), None, Some("u1".into())), after("u1"));
        for o in ["created_at", "+created_at", "-created_at"] {
            assert_eq!(Cursor::first(None, Some(o), Some("u1".into())), after("u1"));
        }
        assert_eq!(
            Cursor::first(None, Some("-updated_at"), None),
            Cursor::Offset(0)
        );
        assert_eq!(
            Cursor::first(Some(20), None, Some("u1".into())),
            Cursor::Offset(20)
        );
    }

    #[test]
    fn walks_until_a_short_page() {
        let p = Paginator::new(
            "T",
            Cursor::Offset(0),
            2,
            KEY,
            pages(vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]], None),
        );
        let all: Vec<String> = p.map(|r| r.unwrap()).collect();
        assert_eq!(all, ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn stops_at_total_count_without_an_extra_request() {
        let mut calls = 0;
        let p = Paginator::new("T", Cursor::Offset(0), 2, KEY, move |c: &Cursor| {
            calls += 1;
            assert!(calls <= 2, "fetched past total_count at {c:?}");
            Ok(Page {
                data: vec![format!("x{calls}a"), format!("x{calls}b")],
                total_count: Some(4),
            })
        });
        assert_eq!(p.count(), 4);
    }

    #[test]
    fn a_repeated_page_is_an_error_not_a_loop() {
        let p = Paginator::new("T", Cursor::After(None), 2, KEY, |_c: &Cursor| {
            Ok(Page {
                data: vec!["a".to_owned(), "b".to_owned()],
                total_count: None,
            })
        });
        let got: Vec<_> = p.take(10).collect();
        assert_eq!(got.len(), 3);
        assert!(matches!(&got[2], Err(Error::Pagination(e)) if e.operation() == "T"));
    }

    #[test]
    fn cursors_advance_by_offset_or_last_id() {
        let mut seen = Vec::new();
        let p = Paginator::new("T", Cursor::After(None), 1, KEY, {
            let mut n = 0;
            move |c: &Cursor| {
                seen.push(c.clone());
                n += 1;
                let data = if n <= 2 {
                    vec![format!("id{n}")]
                } else {
                    vec![]
                };
                assert!(
                    seen.len() < 2
                        || seen[seen.len() - 1] == Cursor::After(Some(format!("id{}", n - 1)))
                );
                Ok(Page {
                    data,
                    total_count: None,
                })
            }
        });
        assert_eq!(p.count(), 2);
    }
}
