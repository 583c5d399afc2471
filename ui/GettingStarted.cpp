// The getting-started hint and steps.

#include "GettingStarted.h"

#include "AppSettings.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

namespace dl {

GettingStartedHint::GettingStartedHint(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("gettingStartedHint"));
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  QPalette pal = palette();
  pal.setColor(QPalette::Window, pal.color(QPalette::ToolTipBase));
  pal.setColor(QPalette::WindowText, pal.color(QPalette::ToolTipText));
  setPalette(pal);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 6, 6, 6);
  auto* text = new QLabel(tr("<b>New here?</b> 1. Pick a preset (Model › Tutorial MLP) or add layers from the "
                             "palette. 2. Press <b>Train</b> (F5) and watch the charts. 3. Draw a digit on the right "
                             "and see what the network thinks."),
                          this);
  text->setObjectName(QStringLiteral("gettingStartedText"));
  text->setWordWrap(true);
  layout->addWidget(text, 1);
  auto* more = new QPushButton(tr("More…"), this);
  more->setObjectName(QStringLiteral("gettingStartedMore"));
  more->setToolTip(tr("Help › Getting started: the steps in more detail"));
  connect(more, &QPushButton::clicked, this, &GettingStartedHint::moreRequested);
  layout->addWidget(more);
  auto* dismiss = new QPushButton(tr("Got it"), this);
  dismiss->setObjectName(QStringLiteral("gettingStartedDismiss"));
  dismiss->setToolTip(tr("Hide this hint for good (Help › Getting started shows the steps again)"));
  connect(dismiss, &QPushButton::clicked, this, [this] {
    hide();
    settings::open().setValue(settings::kGettingStartedDismissed, true);
  });
  layout->addWidget(dismiss);
  setVisible(!dismissed());
}

bool GettingStartedHint::dismissed() {
  return settings::open().value(settings::kGettingStartedDismissed, false).toBool();
}

void GettingStartedHint::showSteps(QWidget* parent) {
  auto* box = new QMessageBox(QMessageBox::Information, tr("Getting started"),
                              tr("<h3>Getting started with DigitLab</h3>"), QMessageBox::Ok, parent);
  box->setObjectName(QStringLiteral("gettingStartedBox"));
  box->setInformativeText(
      tr("<ol>"
         "<li><b>Build a model.</b> Pick a preset — Model › Tutorial MLP or Tutorial CNN, the two models of the "
         "Keras tutorial — or start from File › New model and add layers from the palette on the left "
         "(double-click, Enter, or drag). The stack shows each layer's output shape and parameters; a layer "
         "that cannot work is marked red with the reason.</li>"
         "<li><b>Train it.</b> Press Train (F5). The charts show loss and accuracy as it learns; Pause (F6) and "
         "Stop (Shift+F5) keep what was learned. Pressing Train again continues from the trained weights or "
         "starts afresh.</li>"
         "<li><b>Draw a digit</b> in the panel on the right: the network's answer and its ten probabilities "
         "follow your pen, even while it trains. You can also drop a picture on it.</li>"
         "<li><b>Look closer.</b> Results shows the test accuracy, the confusion matrix and the digits it got "
         "wrong (click a cell to see its digits); Inside shows what each layer makes of your digit, and Why: on "
         "the drawing panel colours the pixels behind the answer; Diagram draws the model as Keras's "
         "plot_model.</li>"
         "<li><b>Keep it.</b> File › Save model writes a .dlm file with the weights; Model › Save as Keras code "
         "gives the same model as a Python script.</li>"
         "</ol>"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace dl
