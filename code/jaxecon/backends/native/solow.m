% The Solow law of motion k' = a s k^alpha + (1 - delta) k in GNU Octave, timed in-process.
% Called with variables k0 s alpha delta a n repeats already defined; prints one line:
% result compile_seconds seconds_min seconds_median (Octave compiles nothing: 0).
1;  % a leading statement makes Octave read this file as a script, not a function file
function k = solow_loop(k0, s, alpha, delta, a, n)
  k = k0;
  for i = 1:n
    k = a * s * k^alpha + (1 - delta) * k;
  end
end

times = zeros(repeats, 1);
for r = 1:repeats
  tic; k = solow_loop(k0, s, alpha, delta, a, n); times(r) = toc;
end
printf("%.17g %.17g %.17g %.17g\n", k, 0.0, min(times), median(times));
