package dev.vertxshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.Reservation;
import dev.vertxshop.orders.SagaStore.ReservedLine;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the checkout price taken from the catalog's reservation")
class ReservedPricesTest {

  private static final UUID ORDER = UUID.randomUUID();
  private static final UUID DESK = UUID.randomUUID();
  private static final UUID LAMP = UUID.randomUUID();

  @Test
  @DisplayName("the total is the reservation's unit prices times the order's units, whatever the cart showed")
  void pricedByReservation() {
    ReservedPrices prices = ReservedPrices.of(List.of(new ReservedLine(DESK, 2), new ReservedLine(LAMP, 1)), Money.EUR,
        reservation(line(DESK, "Desk v2", 2, Money.eur(1_500)), line(LAMP, "Lamp", 1, Money.eur(600))));

    assertThat(prices.totalMinor()).isEqualTo(3_600);
    assertThat(prices.lines().get(DESK).name()).isEqualTo("Desk v2");
    assertThat(prices.lines().get(LAMP).unitPrice()).isEqualTo(Money.eur(600));
  }

  @Test
  @DisplayName("order lines of one product are matched against the reservation's merged line")
  void mergedLines() {
    ReservedPrices prices = ReservedPrices.of(List.of(new ReservedLine(DESK, 2), new ReservedLine(DESK, 3)), Money.EUR,
        reservation(line(DESK, "Desk", 5, Money.eur(100))));
    assertThat(prices.totalMinor()).isEqualTo(500);
  }

  @Test
  @DisplayName("a reservation of other products, other units or another currency is CONFLICT: never charged")
  void mismatches() {
    List<ReservedLine> ordered = List.of(new ReservedLine(DESK, 2));
    assertConflict(ordered, reservation(line(LAMP, "Lamp", 2, Money.eur(100))), "holds products");
    assertConflict(ordered, reservation(line(DESK, "Desk", 2, Money.eur(100)), line(LAMP, "Lamp", 1, Money.eur(100))), "holds products");
    assertConflict(ordered, reservation(line(DESK, "Desk", 3, Money.eur(100))), "3 units");
    assertConflict(ordered, reservation(line(DESK, "Desk", 2, new Money(100, "USD"))), "priced in USD");
    assertConflict(ordered, reservation(line(DESK, "Desk", 2, Money.eur(Long.MAX_VALUE / 2 + 1))), "does not fit");
  }

  private static void assertConflict(List<ReservedLine> ordered, Reservation reservation, String message) {
    ServiceException error = catchThrowableOfType(ServiceException.class, () -> ReservedPrices.of(ordered, Money.EUR, reservation));
    assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(error.getMessage()).contains("does not match the order").contains(message);
  }

  private static Reservation reservation(Reservation.Line... lines) {
    return Reservation.of(ORDER, Reservation.HELD, List.of(lines));
  }

  private static Reservation.Line line(UUID product, String name, int quantity, Money price) {
    return new Reservation.Line(product, name, quantity, price);
  }
}
