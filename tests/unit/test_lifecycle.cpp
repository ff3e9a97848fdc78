#include <doctest/doctest.h>
#include <numctl/lifecycle.hpp>

#include <algorithm>

using namespace numctl;

namespace {
bool allows(Status s, Action a) {
  auto actions = lifecycle::allowed_actions(s);
  return std::find(actions.begin(), actions.end(), a) != actions.end();
}
}  // namespace

TEST_CASE("the status table matches the rules operators are told") {
  CHECK(allows(Status::pending, Action::submit_documents));
  CHECK(allows(Status::pending, Action::approve));
  CHECK(allows(Status::pending, Action::reject));
  CHECK(allows(Status::pending, Action::cancel));
  CHECK_FALSE(allows(Status::pending, Action::flag));
  CHECK(allows(Status::active, Action::flag));
  CHECK_FALSE(allows(Status::active, Action::replace));
  CHECK(allows(Status::high_risk, Action::replace));
  CHECK(allows(Status::high_risk, Action::unflag));
  // A number in its grace period still rings, so its calls may be routed elsewhere.
  CHECK(lifecycle::allowed_actions(Status::to_be_cancelled) == std::vector<Action>{Action::assign, Action::unassign,
                                                                                   Action::restore, Action::set_label,
                                                                                   Action::emergency, Action::caller_name});
  CHECK_FALSE(allows(Status::cancelled, Action::set_label));  // a released number is history
  CHECK(lifecycle::allowed_actions(Status::cancelled) == std::vector<Action>{Action::buy});
}

TEST_CASE("targets: cancel of a pending order is immediate, of an active number a grace period") {
  auto* pending = lifecycle::find(Action::cancel, Status::pending);
  auto* active = lifecycle::find(Action::cancel, Status::active);
  REQUIRE(pending);
  REQUIRE(active);
  CHECK(lifecycle::target_status(*pending, Status::pending, {}, false) == Status::cancelled);
  CHECK(lifecycle::target_status(*active, Status::active, {}, false) == Status::to_be_cancelled);
  auto* restore = lifecycle::find(Action::restore, Status::to_be_cancelled);
  REQUIRE(restore);
  CHECK(lifecycle::target_status(*restore, Status::to_be_cancelled, Status::high_risk, false) == Status::high_risk);
  auto* buy = lifecycle::find(Action::buy, std::nullopt);
  REQUIRE(buy);
  CHECK(lifecycle::target_status(*buy, Status::active, {}, true) == Status::pending);
  CHECK(lifecycle::target_status(*buy, Status::active, {}, false) == Status::active);
}

TEST_CASE("a refusal names the status and what is allowed") {
  CHECK(lifecycle::refusal_message("+49 30 123456", Status::to_be_cancelled, Action::cancel) ==
        "+49 30 123456 is to_be_cancelled: cancel is not allowed (allowed: assign, unassign, restore, set, emergency set, cnam "
        "set)");
}

TEST_CASE("the Graphviz picture has every status and every operator action") {
  std::string dot = lifecycle::to_dot();
  for (Status s : all_statuses) CHECK(dot.find(std::string(to_string(s)) + " [label") != std::string::npos);
  CHECK(dot.find("high_risk -> to_be_cancelled [label=\"replace\"") != std::string::npos);
  CHECK(dot.find("to_be_cancelled -> cancelled [label=\"sweep") != std::string::npos);
}

TEST_CASE("which imported statuses claim a number is in service is the lifecycle's to say") {
  CHECK(lifecycle::statuses_where(lifecycle::claims_service) ==
        std::vector<Status>{Status::active, Status::high_risk, Status::to_be_cancelled, Status::porting_in});
}

TEST_CASE("what is billed and what may be idle are the lifecycle's to say, and idle numbers can be cancelled") {
  using lifecycle::billed;
  using lifecycle::may_be_idle;
  CHECK(lifecycle::statuses_where(billed) ==
        std::vector<Status>{Status::pending, Status::active, Status::high_risk, Status::to_be_cancelled});
  CHECK(lifecycle::statuses_where(may_be_idle) == std::vector<Status>{Status::pending, Status::active, Status::high_risk});
  for (Status status : all_statuses) {
    // An idle number is billed, and `idle --format plain | numctl cancel -` may act on it.
    if (may_be_idle(status)) {
      CHECK(billed(status));
      CHECK_MESSAGE(lifecycle::find(Action::cancel, status) != nullptr, to_string(status));
    }
    // A released number costs nothing; a number in its grace still rings, and is billed. A number
    // on its way in by port is not billed yet, one ported away no more.
    CHECK(billed(status) == (status != Status::cancelled && status != Status::porting_in && status != Status::ported_out));
  }
}

TEST_CASE("porting: a number arrives porting_in, rings for its team from the cut-over, and may leave ported_out") {
  // Ported in from nowhere, from released, and back after it left; never while held.
  for (std::optional<Status> from :
       {std::optional<Status>{}, std::optional(Status::cancelled), std::optional(Status::ported_out)})
    CHECK(lifecycle::find(Action::port_in, from) != nullptr);
  for (Status held : {Status::pending, Status::active, Status::high_risk, Status::to_be_cancelled, Status::porting_in})
    CHECK(lifecycle::find(Action::port_in, held) == nullptr);
  // Assigned ahead of the cut-over; completed by regulation; a failed order releases it.
  CHECK(lifecycle::allowed_actions(Status::porting_in) ==
        std::vector<Action>{Action::assign, Action::unassign, Action::set_label, Action::port_complete, Action::port_fail});
  const Transition* complete = lifecycle::find(Action::port_complete, Status::porting_in);
  REQUIRE(complete);
  CHECK(lifecycle::target_status(*complete, Status::porting_in, std::nullopt, false) == Status::active);
  CHECK(lifecycle::target_status(*complete, Status::porting_in, std::nullopt, true) == Status::pending);
  CHECK(lifecycle::find(Action::port_fail, Status::porting_in)->to == Status::cancelled);
  // Any number in service may leave by port; ported_out is terminal but for coming back by port.
  for (Status held : {Status::pending, Status::active, Status::high_risk, Status::to_be_cancelled})
    CHECK(lifecycle::find(Action::port_out, held)->to == Status::ported_out);
  CHECK(lifecycle::allowed_actions(Status::ported_out) == std::vector<Action>{Action::port_in});
  CHECK(lifecycle::find(Action::buy, Status::ported_out) == nullptr);
  CHECK(lifecycle::refusal_message("+1 312-555-0100", Status::ported_out, Action::buy) ==
        "+1 312-555-0100 is ported_out: buy is not allowed (allowed: port-in create)");
  // Neither is listed by default as released numbers are not; the one on its way in is.
  CHECK(lifecycle::listed_by_default(Status::porting_in));
  CHECK_FALSE(lifecycle::listed_by_default(Status::ported_out));
  CHECK_FALSE(lifecycle::may_be_idle(Status::porting_in));
  CHECK(dot_colour(Status::porting_in) == "blue");
}
