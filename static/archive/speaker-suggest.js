/* Suggestions as you type in the events page's speaker box, from the JSON API (/api/speakers?q=).
   Without this script the box works the same: the server matches the typed name to a speaker and
   says so when a name is unknown or could mean several speakers. */
(function () {
  "use strict";
  var list = document.getElementById("speaker-suggestions");
  var input = document.querySelector("input[list='speaker-suggestions']");
  if (!list || !input || !window.fetch) {
    return;
  }
  var timer = null;
  var asked = "";

  function show(text, speakers) {
    if (input.value.trim() !== text) {
      return; /* typed on meanwhile: a newer answer is coming */
    }
    var options = speakers.slice(0, 10).map(function (speaker) {
      var option = document.createElement("option");
      option.value = speaker.name;
      option.label = [speaker.title, speaker.organisation].filter(Boolean).join(", ") || speaker.name;
      return option;
    });
    list.replaceChildren.apply(list, options);
  }

  function suggest() {
    var text = input.value.trim();
    if (text.length < 2 || text === asked) {
      return;
    }
    asked = text;
    fetch(list.dataset.source + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { items: [] };
      })
      .then(function (data) {
        show(text, data.items || []);
      })
      .catch(function () {
        /* no suggestions; the form still works */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 150);
  });
})();
