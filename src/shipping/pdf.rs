//! A small drawing layer over `pdf-writer` for Orderly's documents: pages with a top-left origin,
//! text in the standard Helvetica fonts (WinAnsi encoding, measured with the fonts' own widths so
//! text can be wrapped and shrunk to fit), lines, boxes and Code 128 barcodes. Pure: bytes out.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use super::code128;
use crate::error::Result;

/// The two fonts documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }
}

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold advance widths (1/1000 em) for ASCII 32..=126.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The WinAnsi byte for a character; `?` for what the standard fonts cannot show.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        'Š' => 0x8a,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        // The minus sign and non-breaking hyphens print as a hyphen-minus (money: `−$4.50`).
        '\u{2212}' | '\u{2010}' | '\u{2011}' => b'-',
        '™' => 0x99,
        'š' => 0x9a,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        c if c.is_whitespace() || c.is_control() => b' ',
        _ => b'?',
    }
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

/// Width of `text` in points.
pub fn text_width(text: &str, font: Font, size: f32) -> f32 {
    let table = match font {
        Font::Regular => &HELVETICA,
        Font::Bold => &HELVETICA_BOLD,
    };
    let units: u32 = encode(text)
        .into_iter()
        .map(|b| match b {
            32..=126 => u32::from(table[usize::from(b - 32)]),
            // Accented capitals and the like: about the widest Latin letter.
            _ => 778,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Breaks `text` into lines no wider than `width` (words longer than a line are cut).
pub fn wrap(text: &str, font: Font, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, font, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it when it does not fit a line.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if text_width(&piece, font, size) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// `text` cut (with `…`) to fit `width` on one line.
pub fn ellipsize(text: &str, font: Font, size: f32, width: f32) -> String {
    if text_width(text, font, size) <= width {
        return text.to_owned();
    }
    let mut s: String = text.to_owned();
    while !s.is_empty() && text_width(&format!("{s}…"), font, size) > width {
        s.pop();
    }
    format!("{}…", s.trim_end())
}

/// One page being drawn. Coordinates are points from the top-left corner, y growing downwards.
pub struct Page {
    content: Content,
    height: f32,
}

impl Page {
    /// Text with its baseline at `y`.
    pub fn text(&mut self, x: f32, y: f32, font: Font, size: f32, text: &str) {
        let bytes = encode(text);
        self.content
            .begin_text()
            .set_font(font.name(), size)
            .next_line(x, self.height - y)
            .show(Str(&bytes))
            .end_text();
    }

    /// Text right-aligned to `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: Font, size: f32, text: &str) {
        let w = text_width(text, font, size);
        self.text(right - w, y, font, size, text);
    }

    /// Text centred on `cx`.
    pub fn text_center(&mut self, cx: f32, y: f32, font: Font, size: f32, text: &str) {
        let w = text_width(text, font, size);
        self.text(cx - w / 2.0, y, font, size, text);
    }

    /// A horizontal or any straight line.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.content
            .set_line_width(width)
            .move_to(x1, self.height - y1)
            .line_to(x2, self.height - y2)
            .stroke();
    }

    /// An outlined box; `top` is its upper edge.
    pub fn stroke_rect(&mut self, x: f32, top: f32, w: f32, h: f32, width: f32) {
        self.content
            .set_line_width(width)
            .rect(x, self.height - top - h, w, h)
            .stroke();
    }

    /// A filled black box; `top` is its upper edge.
    pub fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32) {
        self.content
            .rect(x, self.height - top - h, w, h)
            .fill_nonzero();
    }

    /// A Code 128 barcode of `data` centred in `[x, x + max_width]`, bars from `top` down `height`,
    /// with the text under it when `human_text` is given. The module is at most `max_module`
    /// points wide, and the quiet zones stay inside `max_width`. Returns the module width used.
    #[allow(clippy::too_many_arguments)]
    pub fn barcode(
        &mut self,
        data: &str,
        field: &str,
        x: f32,
        top: f32,
        max_width: f32,
        height: f32,
        max_module: f32,
        human_text: Option<f32>,
    ) -> Result<f32> {
        let widths = code128::widths(data, field)?;
        let modules = code128::module_count(&widths) + 2 * code128::QUIET_ZONE;
        let module = (max_width / modules as f32).min(max_module);
        let total = module * modules as f32;
        let mut cx = x + (max_width - total) / 2.0 + module * code128::QUIET_ZONE as f32;
        for (i, w) in widths.iter().enumerate() {
            let ww = f32::from(*w) * module;
            if i % 2 == 0 {
                self.fill_rect(cx, top, ww, height);
            }
            cx += ww;
        }
        if let Some(size) = human_text {
            self.text_center(
                x + max_width / 2.0,
                top + height + size + 2.0,
                Font::Regular,
                size,
                data,
            );
        }
        Ok(module)
    }
}

/// A document of same-sized pages.
pub struct Doc {
    width: f32,
    height: f32,
    pages: Vec<Page>,
}

impl Doc {
    pub fn new(width: f32, height: f32) -> Self {
        Doc {
            width,
            height,
            pages: Vec::new(),
        }
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    /// Starts a new page and returns it.
    pub fn add_page(&mut self) -> &mut Page {
        self.pages.push(Page {
            content: Content::new(),
            height: self.height,
        });
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The page at `index` (for footers added once the page count is known).
    pub fn page_mut(&mut self, index: usize) -> Option<&mut Page> {
        self.pages.get_mut(index)
    }

    /// Writes the PDF. A document without pages gets one empty page.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        if self.pages.is_empty() {
            self.add_page();
        }
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let first = 6;
        let page_ids: Vec<Ref> = (0..self.pages.len())
            .map(|i| Ref::new(first + 2 * i as i32))
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(pdf_writer::TextStr(title))
            .producer(pdf_writer::TextStr("Orderly"));
        for (i, page) in self.pages.into_iter().enumerate() {
            let id = page_ids[i];
            let content_id = Ref::new(id.get() + 1);
            let mut p = pdf.page(id);
            p.parent(tree)
                .media_box(Rect::new(0.0, 0.0, self.width, self.height))
                .contents(content_id);
            let mut resources = p.resources();
            let mut fonts = resources.fonts();
            fonts.pair(Font::Regular.name(), regular);
            fonts.pair(Font::Bold.name(), bold);
            fonts.finish();
            resources.finish();
            p.finish();
            let raw = page.content.finish();
            pdf.stream(content_id, &raw);
        }
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_inside_the_width() {
        let text = "A rather long product name that goes on and on, with a Supercalifragilisticexpialidocious word";
        for line in wrap(text, Font::Regular, 10.0, 80.0) {
            assert!(text_width(&line, Font::Regular, 10.0) <= 80.0, "{line}");
        }
        assert_eq!(wrap("short", Font::Bold, 10.0, 200.0), vec!["short"]);
        assert_eq!(wrap("", Font::Bold, 10.0, 200.0), vec![""]);
    }

    #[test]
    fn ellipsize_fits() {
        let s = ellipsize(
            "Wolfeschlegelsteinhausenbergerdorff",
            Font::Bold,
            12.0,
            60.0,
        );
        assert!(s.ends_with('…'));
        assert!(text_width(&s, Font::Bold, 12.0) <= 60.0);
    }

    #[test]
    fn non_latin_text_becomes_question_marks() {
        assert_eq!(encode("Café 東京"), b"Caf\xe9 ??".to_vec());
        assert_eq!(encode("\u{2212}$4.50"), b"-$4.50".to_vec());
    }
}
