#pragma once
// The drawing panel's "Show why" row: which saliency map (nn/Inspection.h) to lay over the canvas
// — none, gradient × input, occlusion or Grad-CAM — and for which class (the network's answer or
// a chosen one), with a one-line legend of the colours. It only holds the choice; DigitPanel
// computes the map with its own model after every prediction and hands it to the canvas.

#include "nn/Inspection.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;

namespace dl {

class SaliencyBar : public QWidget {
  Q_OBJECT

 public:
  explicit SaliencyBar(QWidget* parent = nullptr);

  // The chosen method; nullopt: no overlay.
  std::optional<SaliencyMethod> method() const;
  // -1: the network's answer; otherwise the chosen class.
  int targetClass() const;
  // The class names offered in "for" (keeps the choice when it still exists).
  void setClassNames(const QStringList& names);
  // Grad-CAM needs a Conv2D layer: offered only when the model has one (a choice of Grad-CAM
  // falls back to no overlay otherwise, and says why in the legend).
  void setGradCamAvailable(bool available);
  // The legend for the map shown: which class it explains and, when it could not be computed, why.
  void setExplained(const QString& className, const QString& error = {});

  QComboBox* methodBox() const { return m_method; }
  QComboBox* classBox() const { return m_class; }

 signals:
  void changed();

 private:
  QComboBox* m_method = nullptr;
  QComboBox* m_class = nullptr;
  QLabel* m_legend = nullptr;
};

}  // namespace dl
