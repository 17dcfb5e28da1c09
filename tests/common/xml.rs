//! A small, strict reader for the XML a build writes (`feed.xml`, `sitemap.xml`).
//!
//! It checks well-formedness (balanced tags, quoted attributes, defined entities, one root)
//! and gives elements with their attributes and text, which is all the feed and sitemap
//! tests need, without another dependency.

/// One element: its name, attributes, own text, and parent (an index into the document).
#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub parent: Option<usize>,
}

impl Element {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed document: its elements in document order; the first is the root.
#[derive(Debug, Clone)]
pub struct Document {
    pub elements: Vec<Element>,
}

impl Document {
    /// Parses `text`, or says where it is not well-formed XML.
    pub fn parse(text: &str) -> Result<Document, String> {
        Parser {
            text,
            at: 0,
            elements: Vec::new(),
            open: Vec::new(),
        }
        .document()
    }

    /// The root element.
    pub fn root(&self) -> &Element {
        &self.elements[0]
    }

    /// The children of element `parent` named `name`, with their indexes.
    pub fn children<'a>(
        &'a self,
        parent: usize,
        name: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Element)> + 'a {
        self.elements
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.parent == Some(parent) && e.name == name)
    }

    /// The text of the first child of `parent` named `name`.
    pub fn child_text<'a>(&'a self, parent: usize, name: &'a str) -> Option<&'a str> {
        self.children(parent, name)
            .next()
            .map(|(_, e)| e.text.as_str())
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    elements: Vec<Element>,
    open: Vec<usize>,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn fail<T>(&self, why: &str) -> Result<T, String> {
        let line = self.text[..self.at].matches('\n').count() + 1;
        Err(format!("line {line}: {why}"))
    }

    fn skip_past(&mut self, end: &str) -> Result<usize, String> {
        match self.rest().find(end) {
            Some(i) => {
                let start = self.at;
                self.at += i + end.len();
                Ok(start + i)
            }
            None => self.fail(&format!("`{end}` never comes")),
        }
    }

    fn document(mut self) -> Result<Document, String> {
        while self.at < self.text.len() {
            let rest = self.rest();
            if rest.starts_with("<?") {
                self.skip_past("?>")?;
            } else if rest.starts_with("<!--") {
                self.skip_past("-->")?;
            } else if rest.starts_with("<![CDATA[") {
                let start = self.at + 9;
                let end = self.skip_past("]]>")?;
                let text = self.text[start..end].to_string();
                self.add_text(&text)?;
            } else if rest.starts_with("<!") {
                return self.fail("a declaration the feed and sitemap should not need");
            } else if rest.starts_with("</") {
                self.close_tag()?;
            } else if rest.starts_with('<') {
                self.open_tag()?;
            } else {
                let end = rest.find('<').map_or(self.text.len(), |i| self.at + i);
                let text = unescape(&self.text[self.at..end]).or_else(|why| self.fail(&why))?;
                self.at = end;
                self.add_text(&text)?;
            }
        }
        if let Some(&open) = self.open.last() {
            return self.fail(&format!("<{}> is never closed", self.elements[open].name));
        }
        if self.elements.is_empty() {
            return self.fail("no root element");
        }
        Ok(Document {
            elements: self.elements,
        })
    }

    fn add_text(&mut self, text: &str) -> Result<(), String> {
        match self.open.last() {
            Some(&open) => {
                self.elements[open].text.push_str(text);
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => self.fail("text outside the root element"),
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || "-_.:".contains(c)))
            .unwrap_or(self.rest().len());
        if len == 0 {
            return self.fail("expected a name");
        }
        let name = self.rest()[..len].to_string();
        self.at += len;
        Ok(name)
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn open_tag(&mut self) -> Result<(), String> {
        self.at += 1;
        let name = self.name()?;
        if self.open.is_empty() && !self.elements.is_empty() {
            return self.fail(&format!("a second root element <{name}>"));
        }
        let mut attributes = Vec::new();
        loop {
            self.skip_space();
            if self.rest().starts_with("/>") {
                self.at += 2;
                self.push(name, attributes, false);
                return Ok(());
            }
            if self.rest().starts_with('>') {
                self.at += 1;
                self.push(name, attributes, true);
                return Ok(());
            }
            let attribute = self.name()?;
            self.skip_space();
            if !self.rest().starts_with('=') {
                return self.fail(&format!("attribute `{attribute}` has no value"));
            }
            self.at += 1;
            self.skip_space();
            let Some(quote) = self
                .rest()
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'')
            else {
                return self.fail(&format!("attribute `{attribute}` is not quoted"));
            };
            self.at += 1;
            let start = self.at;
            let end = self.skip_past(&quote.to_string())?;
            let raw = &self.text[start..end];
            if raw.contains('<') {
                return self.fail(&format!("attribute `{attribute}` holds a raw `<`"));
            }
            let value = unescape(raw).or_else(|why| self.fail(&why))?;
            if attributes.iter().any(|(n, _)| *n == attribute) {
                return self.fail(&format!("attribute `{attribute}` is given twice"));
            }
            attributes.push((attribute, value));
        }
    }

    fn push(&mut self, name: String, attributes: Vec<(String, String)>, stays_open: bool) {
        self.elements.push(Element {
            name,
            attributes,
            text: String::new(),
            parent: self.open.last().copied(),
        });
        if stays_open {
            self.open.push(self.elements.len() - 1);
        }
    }

    fn close_tag(&mut self) -> Result<(), String> {
        self.at += 2;
        let name = self.name()?;
        self.skip_space();
        if !self.rest().starts_with('>') {
            return self.fail(&format!("</{name} is not closed with `>`"));
        }
        self.at += 1;
        match self.open.pop() {
            Some(open) if self.elements[open].name == name => Ok(()),
            Some(open) => {
                let expected = self.elements[open].name.clone();
                self.fail(&format!("</{name}> closes <{expected}>"))
            }
            None => self.fail(&format!("</{name}> closes nothing")),
        }
    }
}

/// Replaces XML's five entities and character references; a bare `&` is an error.
fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find(';')
            .ok_or_else(|| format!("a bare `&` in `{raw}`"))?;
        let entity = &rest[i + 1..i + end];
        let ch = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("undefined entity `&{entity};` in `{raw}`"))?
            }
        };
        out.push(ch);
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
