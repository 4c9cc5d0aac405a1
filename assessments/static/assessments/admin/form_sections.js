/* Question and quiz forms in the admin show only the parts that apply (assessments/admin_forms.py
 * marks them). Hidden parts are cleared when the form is posted, so what is saved is what
 * the author saw; the server refuses leftovers all the same. */
(function () {
  "use strict";
  var Controller = window.StimulusModule && window.StimulusModule.Controller;
  var app = window.wagtail && window.wagtail.app;
  if (!Controller || !app) return;

  function clearInputs(section) {
    section.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (/-DELETE$/.test(input.name)) {
        input.value = "1"; // an InlinePanel row: delete it
      } else if (input.tagName === "SELECT") {
        input.selectedIndex = 0;
      } else if (input.type === "checkbox" || input.type === "radio") {
        input.checked = false;
      } else if (input.type !== "hidden") {
        input.value = "";
      }
    });
  }

  /* On the question's type <select>: sections marked data-question-types="single multiple"
   * are shown only for those types. */
  class QuestionTypeController extends Controller {
    connect() {
      this.form = this.element.form;
      this.clearHidden = this.clearHidden.bind(this);
      if (this.form) this.form.addEventListener("submit", this.clearHidden);
      this.toggle();
    }
    disconnect() {
      if (this.form) this.form.removeEventListener("submit", this.clearHidden);
    }
    sections() {
      return this.form ? this.form.querySelectorAll("[data-question-types]") : [];
    }
    toggle() {
      var type = this.element.value;
      this.sections().forEach(function (section) {
        var types = section.getAttribute("data-question-types").split(" ");
        section.hidden = types.indexOf(type) === -1;
      });
    }
    clearHidden() {
      this.sections().forEach(function (section) {
        if (section.hidden) clearInputs(section);
      });
    }
  }

  /* On a quiz slot's row: a fixed question is asked once, so only a random draw from a
   * category shows "how many to draw". */
  class QuizSlotController extends Controller {
    static targets = ["drawCount"];
    connect() {
      this.form = this.element.closest("form");
      this.reset = this.reset.bind(this);
      if (this.form) this.form.addEventListener("submit", this.reset);
      this.toggle();
    }
    disconnect() {
      if (this.form) this.form.removeEventListener("submit", this.reset);
    }
    drawsFromCategory() {
      var category = this.element.querySelector('input[name$="-category"]');
      return Boolean(category && category.value);
    }
    toggle() {
      var draws = this.drawsFromCategory();
      this.drawCountTargets.forEach(function (target) { target.hidden = !draws; });
    }
    reset() {
      if (this.drawsFromCategory()) return;
      this.drawCountTargets.forEach(function (target) {
        var input = target.querySelector("input");
        if (input) input.value = "1";
      });
    }
  }

  app.register("question-type", QuestionTypeController);
  app.register("quiz-slot", QuizSlotController);
})();
