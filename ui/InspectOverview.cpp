// The Inside tab's overview strip. See InspectOverview.h.

#include "InspectOverview.h"

#include "inspect/InspectImages.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace dl {

namespace {
constexpr int kGap = 18;        // between columns: room for the arrow
constexpr int kMinColumn = 40;  // names longer than a column are elided (the full name on hover)
constexpr int kMargin = 6;
constexpr int kVectorWidth = 14;
constexpr int kMinHeight = 150;

bool isImage(const LayerOutput& out) { return out.shape.size() == 3; }

// [min, max] of a layer's values (finite ones); a flat layer gets a range of 1 around its value.
std::pair<float, float> range(const std::vector<float>& v) {
  float lo = 0, hi = 0;
  bool any = false;
  for (float x : v) {
    if (!std::isfinite(x)) continue;
    lo = any ? std::min(lo, x) : x;
    hi = any ? std::max(hi, x) : x;
    any = true;
  }
  if (!(hi > lo)) hi = lo + 1;
  return {lo, hi};
}

QString shapeText(const Shape& s) {
  if (s.size() == 3) return QStringLiteral("%1×%2×%3").arg(s[0]).arg(s[1]).arg(s[2]);
  QStringList parts;
  for (int d : s) parts << QString::number(d);
  return parts.join(QStringLiteral("×"));
}
}  // namespace

InspectOverview::InspectOverview(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Expanding);
  setMinimumHeight(kMinHeight);
  setToolTip(
      tr("The digit on the canvas as it goes through the network, layer by layer. Click a layer to see it below."));
}

void InspectOverview::setData(const std::vector<float>& input, const std::vector<LayerOutput>& outputs,
                              const QStringList& classNames) {
  m_input = input;
  m_outputs = outputs;
  m_classNames = classNames;
  relayout();
  update();
}

void InspectOverview::setSelected(int layer) {
  m_selected = layer;
  update();
}

int InspectOverview::mapSide(const LayerOutput& out) const {
  if (!isImage(out)) return 0;
  return std::clamp(out.shape[0] * 2, 16, 48);
}

void InspectOverview::relayout() {
  m_columns.clear();
  const QFontMetrics fm(font());
  const int labelH = 2 * fm.height() + 4;
  const int top = kMargin;
  const int ph = std::max(40, height() - top - labelH - kMargin);
  int x = kMargin;
  auto labelWidth = [&](const QString&, const QString& b) { return std::max(kMinColumn, fm.horizontalAdvance(b)); };

  if (!m_input.empty()) {
    Column c;
    c.layer = kInputColumn;
    const int side = std::min(ph, 84);
    const int w = std::max(side, labelWidth(tr("input"), QStringLiteral("28×28")));
    c.rect = QRect(x + (w - side) / 2, top, side, side);
    c.label = QRect(x, top + ph + 2, w, labelH);
    m_columns.push_back(c);
    x += w + kGap;
  }
  for (size_t i = 0; i < m_outputs.size(); ++i) {
    const LayerOutput& out = m_outputs[i];
    Column c;
    c.layer = int(i);
    const bool last = i + 1 == m_outputs.size();
    int w = 0, pictureW = 0;
    if (isImage(out)) {
      const int side = mapSide(out);
      const int rowsFree = ph - fm.height();  // a line for "+N more"
      c.maps = std::clamp((rowsFree + 2) / (side + 2), 1, std::max(1, out.shape[2]));
      if (c.maps >= out.shape[2]) c.maps = std::clamp((ph + 2) / (side + 2), 1, out.shape[2]);
      c.hidden = out.shape[2] - c.maps;
      pictureW = side;
    } else if (last && shapeSize(out.shape) <= 20) {
      int names = 0;
      for (const QString& n : m_classNames) names = std::max(names, fm.horizontalAdvance(n));
      pictureW = std::max(names, fm.horizontalAdvance(QStringLiteral("9"))) + 4 + 50;
    } else {
      pictureW = kVectorWidth;
    }
    w = std::max(pictureW, labelWidth(QString::fromStdString(out.name), shapeText(out.shape)));
    c.rect = QRect(x + (w - pictureW) / 2, top, pictureW, ph);
    c.label = QRect(x, top + ph + 2, w, labelH);
    m_columns.push_back(c);
    x += w + kGap;
  }
  setMinimumWidth(std::max(0, x - kGap + kMargin));
  updateGeometry();
}

QSize InspectOverview::sizeHint() const { return {minimumWidth(), 220}; }
QSize InspectOverview::minimumSizeHint() const { return {minimumWidth(), kMinHeight}; }

void InspectOverview::resizeEvent(QResizeEvent*) { relayout(); }

QRect InspectOverview::columnRect(int layer) const {
  for (const Column& c : m_columns)
    if (c.layer == layer) return c.rect.united(c.label);
  return {};
}

int InspectOverview::layerAt(QPoint pos) const {
  for (const Column& c : m_columns)
    if (c.rect.united(c.label).adjusted(-kGap / 2, 0, kGap / 2, 0).contains(pos)) return c.layer;
  return kNothing;
}

bool InspectOverview::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const int layer = layerAt(help->pos());
    QString tip;
    if (layer == kInputColumn)
      tip = tr("The 28×28 input the network is given");
    else if (layer >= 0 && size_t(layer) < m_outputs.size())
      tip = tr("%1 (%2): output %3. Click to see all of it and the layer's weights.")
                .arg(QString::fromStdString(m_outputs[size_t(layer)].name),
                     QString::fromStdString(m_outputs[size_t(layer)].className),
                     QString::fromStdString(shapeToString(m_outputs[size_t(layer)].shape)));
    else
      tip = toolTip();
    QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(e);
}

void InspectOverview::mousePressEvent(QMouseEvent* e) {
  const int layer = layerAt(e->position().toPoint());
  if (layer >= 0 && e->button() == Qt::LeftButton) {
    setSelected(layer);
    emit layerClicked(layer);
  }
}

void InspectOverview::paintMaps(QPainter& p, const Column& c, const LayerOutput& out) const {
  const int h = out.shape[0], w = out.shape[1], ch = out.shape[2];
  const auto [lo, hi] = range(out.values);
  const int side = c.rect.width();
  for (int k = 0; k < c.maps; ++k) {
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y) {
      auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
      for (int x = 0; x < w; ++x) {
        const float v = out.values[(size_t(y) * w + x) * ch + k];
        line[x] = sequentialColor(std::isfinite(v) ? (v - lo) / (hi - lo) : 0.f);
      }
    }
    p.drawImage(QRect(c.rect.left(), c.rect.top() + k * (side + 2), side, side), img);
  }
  if (c.hidden > 0) {
    p.setPen(palette().color(QPalette::WindowText));
    const int y = c.rect.top() + c.maps * (side + 2);
    p.drawText(QRect(c.rect.left() - 10, y, side + 20, QFontMetrics(font()).height()), Qt::AlignCenter,
               tr("+%1").arg(c.hidden));
  }
}

void InspectOverview::paintVector(QPainter& p, const Column& c, const LayerOutput& out) const {
  const int n = int(out.values.size());
  if (n == 0) return;
  const auto [lo, hi] = range(out.values);
  // One image row per unit, drawn into the column's height (several units share a screen row
  // when there are more units than rows).
  QImage img(1, n, QImage::Format_RGB32);
  for (int i = 0; i < n; ++i) {
    const float v = out.values[size_t(i)];
    img.setPixel(0, i, sequentialColor(std::isfinite(v) ? (v - lo) / (hi - lo) : 0.f));
  }
  p.save();
  p.setRenderHint(QPainter::SmoothPixmapTransform, n > c.rect.height());
  const int hgt = std::min(c.rect.height(), std::max(n * 6, 1));
  p.drawImage(QRect(c.rect.left(), c.rect.top(), c.rect.width(), hgt), img);
  p.restore();
}

void InspectOverview::paintProbabilities(QPainter& p, const Column& c, const LayerOutput& out) const {
  const int n = int(out.values.size());
  const QFontMetrics fm(font());
  const int rowH = std::max(4, std::min(c.rect.height() / std::max(n, 1), fm.height() + 2));
  int names = fm.horizontalAdvance(QStringLiteral("9"));
  for (const QString& s : m_classNames) names = std::max(names, fm.horizontalAdvance(s));
  const int best = int(std::max_element(out.values.begin(), out.values.end()) - out.values.begin());
  const QColor text = palette().color(QPalette::WindowText);
  const QColor bar(120, 144, 180);
  for (int i = 0; i < n; ++i) {
    const QRect row(c.rect.left(), c.rect.top() + i * rowH, c.rect.width(), rowH);
    const QString name = i < m_classNames.size() ? m_classNames[i] : QString::number(i);
    QFont f = font();
    f.setBold(i == best);
    p.setFont(f);
    p.setPen(text);
    p.drawText(QRect(row.left(), row.top(), names, rowH), Qt::AlignRight | Qt::AlignVCenter, name);
    const float v = std::clamp(std::isfinite(out.values[size_t(i)]) ? out.values[size_t(i)] : 0.f, 0.f, 1.f);
    const int bw = row.width() - names - 4;
    p.fillRect(QRect(row.left() + names + 4, row.top() + 2, std::max(1, int(bw * v)), rowH - 3),
               i == best ? palette().color(QPalette::Highlight) : bar);
  }
  p.setFont(font());
}

void InspectOverview::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QFontMetrics fm(font());
  const QColor text = palette().color(QPalette::WindowText);
  for (size_t ci = 0; ci < m_columns.size(); ++ci) {
    const Column& c = m_columns[ci];
    QString name, shape;
    if (c.layer == kInputColumn) {
      QImage img(28, 28, QImage::Format_RGB32);
      for (int i = 0; i < 784 && i < int(m_input.size()); ++i) {
        const int g = int(std::clamp(m_input[size_t(i)], 0.f, 1.f) * 255);
        img.setPixel(i % 28, i / 28, qRgb(g, g, g));
      }
      p.drawImage(c.rect, img);
      name = tr("input");
      shape = QStringLiteral("28×28");
    } else {
      const LayerOutput& out = m_outputs[size_t(c.layer)];
      const bool last = size_t(c.layer) + 1 == m_outputs.size();
      if (isImage(out))
        paintMaps(p, c, out);
      else if (last && out.values.size() <= 20)
        paintProbabilities(p, c, out);
      else
        paintVector(p, c, out);
      name = QString::fromStdString(out.name);
      shape = shapeText(out.shape);
    }
    // Selection frame, name and shape.
    if (c.layer == m_selected && c.layer >= 0) {
      p.setPen(QPen(palette().color(QPalette::Highlight), 2));
      p.setBrush(Qt::NoBrush);
      p.drawRoundedRect(c.rect.united(c.label).adjusted(-5, -4, 5, 0), 4, 4);
    }
    p.setPen(text);
    QFont f = font();
    f.setBold(c.layer == m_selected);
    p.setFont(f);
    const int textW = c.label.width() + kGap - 4;
    p.drawText(QRect(c.label.center().x() - textW / 2, c.label.top(), textW, fm.height()), Qt::AlignHCenter,
               QFontMetrics(f).elidedText(name, Qt::ElideRight, textW));
    p.setFont(font());
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRect(c.label.center().x() - textW / 2, c.label.top() + fm.height(), textW, fm.height()),
               Qt::AlignHCenter, shape);
    // The arrow to the next column.
    if (ci + 1 < m_columns.size()) {
      const int x0 = c.label.right() + 5, x1 = m_columns[ci + 1].label.left() - 5;
      const int y = c.rect.top() + std::min(c.rect.height(), 84) / 2;
      p.setPen(QPen(palette().color(QPalette::Mid), 1.5));
      p.drawLine(x0, y, x1, y);
      p.drawLine(x1, y, x1 - 5, y - 4);
      p.drawLine(x1, y, x1 - 5, y + 4);
    }
  }
  if (m_columns.empty()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               tr("Each layer's output for the digit on the canvas appears here."));
  }
}

}  // namespace dl
