namespace Actors.Grains.Payments;

public enum CheckoutStatus { Open, Paid, Expired }
